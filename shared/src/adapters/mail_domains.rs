//! Whether a domain takes mail, asked of DNS: its MX records, else its addresses (RFC 5321's
//! implicit MX). The resolver keeps answers for their TTL, in a cache of bounded size; each
//! question has a short timeout, and few are asked at once, so a flood of new domains slows
//! only the mailer's own reading, never signing, which asks nothing of DNS.

use crate::ports::{Delivery, MailDomains};
use async_trait::async_trait;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;
use hickory_resolver::{Resolver, TokioResolver};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long one question may take: past it, the mail goes and SES decides.
const TIMEOUT: Duration = Duration::from_secs(2);
/// How many answers are kept, whatever their TTL.
const CACHED_ANSWERS: u64 = 10_000;
/// How many questions are asked at once.
const AT_ONCE: usize = 16;

pub struct DnsMailDomains {
    resolver: TokioResolver,
    asking: Semaphore,
}

fn options(mut options: ResolverOpts) -> ResolverOpts {
    options.timeout = TIMEOUT;
    options.attempts = 1;
    options.cache_size = CACHED_ANSWERS;
    options
}

impl DnsMailDomains {
    /// Asks the system's resolver (`/etc/resolv.conf`, as on Lambda).
    pub fn from_system() -> Result<Self, NetError> {
        let mut builder = Resolver::builder_tokio()?;
        let system = builder.options_mut().clone();
        *builder.options_mut() = options(system);
        Ok(Self::of(builder.build()?))
    }

    /// Asks the name server at `server` alone.
    pub fn at(server: SocketAddr) -> Result<Self, NetError> {
        let mut name_server = NameServerConfig::udp(server.ip());
        for connection in &mut name_server.connections {
            connection.port = server.port();
        }
        let config = ResolverConfig::from_parts(None, Vec::new(), vec![name_server]);
        let resolver = Resolver::builder_with_config(config, TokioRuntimeProvider::default())
            .with_options(options(ResolverOpts::default()))
            .build()?;
        Ok(Self::of(resolver))
    }

    fn of(resolver: TokioResolver) -> Self {
        Self {
            resolver,
            asking: Semaphore::new(AT_ONCE),
        }
    }

    async fn addresses(&self, fqdn: &str) -> Delivery {
        match self.resolver.lookup_ip(fqdn).await {
            Ok(found) if found.iter().next().is_some() => Delivery::Possible,
            Ok(_) => Delivery::Impossible,
            Err(e) => absent_or_unknown(&e),
        }
    }
}

/// A domain that does not exist, or has no such record, takes no mail; anything else (a
/// timeout, a server failing) is not known.
fn absent_or_unknown(error: &NetError) -> Delivery {
    if error.is_nx_domain() || error.is_no_records_found() {
        Delivery::Impossible
    } else {
        Delivery::Unknown
    }
}

#[async_trait]
impl MailDomains for DnsMailDomains {
    async fn delivery(&self, domain: &str) -> Delivery {
        let Ok(_turn) = self.asking.acquire().await else {
            return Delivery::Unknown;
        };
        // Fully qualified: no search domain of the machine's is tried.
        let fqdn = format!("{}.", domain.trim_end_matches('.'));
        match self.resolver.mx_lookup(fqdn.as_str()).await {
            Ok(found) => {
                let exchangers: Vec<_> = found
                    .answers()
                    .iter()
                    .filter_map(|record| match &record.data {
                        RData::MX(mx) => Some(mx),
                        _ => None,
                    })
                    .collect();
                if exchangers.is_empty() {
                    self.addresses(&fqdn).await
                } else if exchangers.iter().all(|mx| mx.exchange.is_root()) {
                    // RFC 7505: the domain says it takes no mail.
                    Delivery::Impossible
                } else {
                    Delivery::Possible
                }
            }
            Err(e) if e.is_no_records_found() && !e.is_nx_domain() => self.addresses(&fqdn).await,
            Err(e) => absent_or_unknown(&e),
        }
    }
}
