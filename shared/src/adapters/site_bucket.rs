//! Publishing pages on AWS: into the site's S3 bucket, then an invalidation of CloudFront's
//! copies, as `infra/deploy-site` does for the whole site. Each page carries the SHA-256 of its
//! content, so a page already published is neither written nor invalidated again: checking every
//! minute costs a few reads, not an invalidation.

use crate::ports::SiteFile;
use crate::ports::{PublishError, SitePublisher};
use async_trait::async_trait;
use aws_sdk_s3::primitives::ByteStream;

/// How long a browser or the CDN may keep a page without asking again: the site's own
/// `deploy-site` uploads with the same.
pub const PAGE_CACHE_CONTROL: &str = "public, max-age=60";

pub struct SiteBucket {
    s3: aws_sdk_s3::Client,
    cloudfront: aws_sdk_cloudfront::Client,
    bucket: String,
    distribution: String,
}

fn failed(e: impl std::fmt::Display) -> PublishError {
    PublishError(e.to_string())
}

impl SiteBucket {
    pub fn from_sdk_config(
        config: &aws_config::SdkConfig,
        bucket: impl Into<String>,
        distribution: impl Into<String>,
    ) -> Self {
        // An emulator answers at one address, not at a name per bucket.
        let s3 = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        Self {
            s3: aws_sdk_s3::Client::from_conf(s3),
            cloudfront: aws_sdk_cloudfront::Client::new(config),
            bucket: bucket.into(),
            distribution: distribution.into(),
        }
    }
}

/// The metadata that holds a page's digest (`x-amz-meta-sha256`).
const DIGEST: &str = "sha256";

fn digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::domain::hex(&sha2::Sha256::digest(bytes))
}

/// A page's paths as viewers ask for it: `/de/index.html` is also `/de/`.
fn viewer_paths(file: &SiteFile) -> Vec<String> {
    let path = format!("/{}", file.path);
    match path.strip_suffix("index.html") {
        Some(folder) => vec![folder.to_owned(), path.clone()],
        None => vec![path],
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

impl SiteBucket {
    /// Whether the bucket holds `file` as it is, by the digest it was written with (a page
    /// written another way, by `deploy-site`, has none and is written again).
    async fn holds(&self, file: &SiteFile, digest: &str) -> Result<bool, PublishError> {
        let head = self
            .s3
            .head_object()
            .bucket(&self.bucket)
            .key(&file.path)
            .send()
            .await;
        match head {
            Ok(head) => Ok(head
                .metadata()
                .and_then(|m| m.get(DIGEST))
                .is_some_and(|held| held == digest)),
            Err(e)
                if e.as_service_error().is_some_and(
                    aws_sdk_s3::operation::head_object::HeadObjectError::is_not_found,
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(failed(aws_sdk_s3::error::DisplayErrorContext(e))),
        }
    }

    async fn invalidate(&self, paths: Vec<String>) -> Result<(), PublishError> {
        let batch = aws_sdk_cloudfront::types::InvalidationBatch::builder()
            .paths(
                aws_sdk_cloudfront::types::Paths::builder()
                    .quantity(i32::try_from(paths.len()).map_err(failed)?)
                    .set_items(Some(paths))
                    .build()
                    .map_err(failed)?,
            )
            // Unique per call: CloudFront treats a repeated reference as the same request.
            .caller_reference(format!(
                "people-first-{}-{:08x}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_err(failed)?
                    .as_millis(),
                rand::random::<u32>()
            ))
            .build()
            .map_err(failed)?;
        self.cloudfront
            .create_invalidation()
            .distribution_id(&self.distribution)
            .invalidation_batch(batch)
            .send()
            .await
            .map_err(|e| failed(aws_sdk_cloudfront::error::DisplayErrorContext(e)))?;
        Ok(())
    }
}

#[async_trait]
impl SitePublisher for SiteBucket {
    async fn publish(&self, files: &[SiteFile]) -> Result<usize, PublishError> {
        let mut written = Vec::new();
        for file in files {
            let digest = digest(&file.bytes);
            if self.holds(file, &digest).await? {
                continue;
            }
            self.s3
                .put_object()
                .bucket(&self.bucket)
                .key(&file.path)
                .body(ByteStream::from(file.bytes.clone()))
                .content_type(content_type(&file.path))
                .cache_control(PAGE_CACHE_CONTROL)
                .metadata(DIGEST, digest)
                .send()
                .await
                .map_err(|e| failed(aws_sdk_s3::error::DisplayErrorContext(e)))?;
            written.push(file);
        }
        if !written.is_empty() {
            self.invalidate(written.iter().flat_map(|f| viewer_paths(f)).collect())
                .await?;
        }
        Ok(written.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folders_page_is_invalidated_under_both_its_names() {
        let page = SiteFile {
            path: "de/index.html".into(),
            bytes: Vec::new(),
        };
        assert_eq!(viewer_paths(&page), ["/de/", "/de/index.html"]);
    }
}
