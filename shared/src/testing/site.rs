//! The site's bucket and its CDN on the emulator, for the function that publishes pages.

use aws_sdk_cloudfront::types::{
    DefaultCacheBehavior, DistributionConfig, Origin, Origins, S3OriginConfig,
};

fn s3(config: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(true)
            .build(),
    )
}

/// A site's bucket and its CDN on the emulator, as the stack makes them.
pub async fn bucket_and_cdn(config: &aws_config::SdkConfig) -> (String, String) {
    let bucket = format!("people-first-site-{:08x}", rand::random::<u32>());
    let s3 = s3(config);
    s3.create_bucket()
        .bucket(&bucket)
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let origin = Origin::builder()
        .id("site")
        .domain_name(format!("{bucket}.s3.amazonaws.com"))
        .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
        .build()
        .unwrap();
    let distribution = aws_sdk_cloudfront::Client::new(config)
        .create_distribution()
        .distribution_config(
            DistributionConfig::builder()
                .caller_reference(bucket.clone())
                .comment("people first")
                .enabled(true)
                .origins(
                    Origins::builder()
                        .quantity(1)
                        .items(origin)
                        .build()
                        .unwrap(),
                )
                .default_cache_behavior(
                    DefaultCacheBehavior::builder()
                        .target_origin_id("site")
                        .viewer_protocol_policy(
                            aws_sdk_cloudfront::types::ViewerProtocolPolicy::RedirectToHttps,
                        )
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    (bucket, distribution.distribution.unwrap().id)
}

/// A page as published, checked to carry the pages' cache period.
pub async fn published_page(config: &aws_config::SdkConfig, bucket: &str, key: &str) -> String {
    let s3 = s3(config);
    let object = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    assert_eq!(object.cache_control(), Some("public, max-age=60"));
    let bytes = object.body.collect().await.unwrap().into_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}
