//! Every minute, publishes the pages that show the supporters list if it changed: rendered in
//! every language into the site's bucket, and invalidated on CloudFront.

use lambda_runtime::{Error, run, service_fn};
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::site_bucket::SiteBucket;
use people_first::events::publish::{PublishState, handle_publish};
use people_first::{config, telemetry};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let state = PublishState {
        store: Box::new(DynamoStore::from_sdk_config(&aws, config::table()?)),
        publisher: Box::new(SiteBucket::from_sdk_config(
            &aws,
            config::required("PEOPLE_FIRST_SITE_BUCKET")?,
            config::required("PEOPLE_FIRST_DISTRIBUTION")?,
        )),
        site: config::site_settings()?,
    };
    run(service_fn(|event| handle_publish(&state, event))).await
}
