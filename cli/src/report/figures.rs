//! What the report shows, added up from one read of the table: figures only, never a name or an
//! address.

use people_first::domain::mail_health::MailHealth;
use people_first::domain::{Country, Locale, MailFamily, Signature, Source, UtcDay};
use std::collections::BTreeMap;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// What came of the signatures of one language, source or provider family.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Group {
    /// Every signature still in the table: confirmed, and pending ones not yet expired.
    pub signed: u64,
    pub confirmed: u64,
    /// Seconds from signing to confirming, of each confirmed one.
    delays: Vec<i64>,
}

impl Group {
    fn add(&mut self, signature: &Signature) {
        self.signed += 1;
        if let Some(confirmed_at) = confirmed_at(signature) {
            self.confirmed += 1;
            self.delays
                .push(confirmed_at.unix_seconds() - signature.signed_at.unix_seconds());
        }
    }

    /// Adds `other`'s signatures to these.
    pub fn merge(&mut self, other: &Self) {
        self.signed += other.signed;
        self.confirmed += other.confirmed;
        self.delays.extend_from_slice(&other.delays);
    }

    /// The confirmed share of those signed, in percent.
    pub fn rate(&self) -> Option<f64> {
        #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        (self.signed > 0).then(|| 100.0 * self.confirmed as f64 / self.signed as f64)
    }

    /// The median time from signing to confirming, in seconds: of an even count, the mean of
    /// the two in the middle.
    pub fn median_delay(&self) -> Option<i64> {
        let mut delays = self.delays.clone();
        delays.sort_unstable();
        let middle = delays.len() / 2;
        match delays.len() {
            0 => None,
            n if n % 2 == 1 => Some(delays[middle]),
            _ => Some(i64::midpoint(delays[middle - 1], delays[middle])),
        }
    }
}

fn confirmed_at(signature: &Signature) -> Option<people_first::domain::Timestamp> {
    signature.confirmed_at.filter(|_| signature.is_confirmed())
}

/// Where the confirmation emails stand.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Mail {
    /// Pending signatures whose email was not sent yet.
    pub waiting: u64,
    /// Pending signatures whose email went, and nobody clicked yet.
    pub unclicked: u64,
    /// Pending signatures at an address SES said does not exist.
    pub bounced: u64,
    pub reminded: u64,
    pub confirmed_after_reminder: u64,
}

#[derive(Debug, Default)]
pub struct Figures {
    /// Signed and confirmed, by the start of their hour (UTC).
    pub signed_per_hour: BTreeMap<i64, u64>,
    pub confirmed_per_hour: BTreeMap<i64, u64>,
    pub by_language: BTreeMap<Locale, Group>,
    /// None: signatures that came through no source.
    pub by_source: BTreeMap<Option<Source>, Group>,
    /// None: signatures from before the family was kept.
    pub by_family: BTreeMap<Option<MailFamily>, Group>,
    pub mail: Mail,
    pub per_country: BTreeMap<Country, u64>,
    /// Per day still kept: how many mailboxes were sent an email, and how many reached the
    /// day's limit, so that any more were withheld.
    pub mailbox_days: BTreeMap<UtcDay, (u64, u64)>,
    /// The mail's health by hour, over the two days it is kept.
    pub mail_per_hour: BTreeMap<i64, MailHealth>,
}

/// The start of the hour `seconds` falls in.
fn hour(seconds: i64) -> i64 {
    seconds.div_euclid(HOUR) * HOUR
}

impl Figures {
    pub fn add(&mut self, signature: &Signature) {
        *self
            .signed_per_hour
            .entry(hour(signature.signed_at.unix_seconds()))
            .or_default() += 1;
        self.by_language
            .entry(signature.locale)
            .or_default()
            .add(signature);
        self.by_source
            .entry(signature.source.clone())
            .or_default()
            .add(signature);
        self.by_family
            .entry(signature.mail_family)
            .or_default()
            .add(signature);
        if let Some(reminded_at) = signature.reminded_at {
            self.mail.reminded += 1;
            self.mail.confirmed_after_reminder +=
                u64::from(confirmed_at(signature).is_some_and(|at| at >= reminded_at));
        }
        match confirmed_at(signature) {
            Some(at) => {
                *self
                    .confirmed_per_hour
                    .entry(hour(at.unix_seconds()))
                    .or_default() += 1;
                *self.per_country.entry(signature.country).or_default() += 1;
            }
            None if signature.undeliverable => self.mail.bounced += 1,
            None if signature.mailed_link.is_some() => self.mail.unclicked += 1,
            None => self.mail.waiting += 1,
        }
    }

    /// A mailbox's emails on a day, as the scan hands them back.
    pub fn add_mailbox_day(&mut self, day: UtcDay, emails: u32, limit: u32) {
        // A count given back to nothing is no mailbox written to.
        if emails == 0 {
            return;
        }
        let (mailboxes, at_limit) = self.mailbox_days.entry(day).or_default();
        *mailboxes += 1;
        *at_limit += u64::from(emails >= limit);
    }

    /// A five-minute stretch of the mail's health.
    pub fn add_mail(&mut self, stretch: i64, seen: &MailHealth) {
        self.mail_per_hour
            .entry(hour(stretch))
            .or_default()
            .add(seen);
    }

    /// Every signature, as one group.
    pub fn overall(&self) -> Group {
        let mut all = Group::default();
        for group in self.by_language.values() {
            all.merge(group);
        }
        all
    }

    pub fn signed(&self) -> u64 {
        self.signed_per_hour.values().sum()
    }

    pub fn confirmed(&self) -> u64 {
        self.confirmed_per_hour.values().sum()
    }

    /// Signed and confirmed per day (UTC), by the start of the day.
    pub fn per_day(&self) -> (BTreeMap<i64, u64>, BTreeMap<i64, u64>) {
        let by_day = |per_hour: &BTreeMap<i64, u64>| {
            let mut per_day = BTreeMap::new();
            for (hour, n) in per_hour {
                *per_day.entry(hour.div_euclid(DAY) * DAY).or_default() += n;
            }
            per_day
        };
        (
            by_day(&self.signed_per_hour),
            by_day(&self.confirmed_per_hour),
        )
    }

    /// The countries as the public count shows them, the most first: those under `smallest`
    /// together, as their total.
    pub fn countries(&self, smallest: u64) -> (Vec<(Country, u64)>, u64) {
        let (mut shown, hidden): (Vec<_>, Vec<_>) = self
            .per_country
            .iter()
            .map(|(c, n)| (*c, *n))
            .partition(|(_, n)| *n >= smallest);
        shown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        (shown, hidden.into_iter().map(|(_, n)| n).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use people_first::domain::{SignatureStatus, Timestamp};

    const SIGNED: i64 = 1_764_979_200;

    fn signature(address: &str, locale: Locale) -> Signature {
        let mut signature = people_first::testing::pending_signature(address, "UA");
        signature.locale = locale;
        signature.signed_at = Timestamp::from_unix_seconds(SIGNED);
        signature
    }

    fn confirmed(mut signature: Signature, after: i64) -> Signature {
        signature.status = SignatureStatus::Confirmed;
        signature.confirmed_at = Some(Timestamp::from_unix_seconds(SIGNED + after));
        signature
    }

    #[test]
    fn each_group_has_its_rate_and_median_time_to_confirm() {
        let mut figures = Figures::default();
        for signature in [
            confirmed(signature("a@gmail.com", Locale::Uk), 60),
            confirmed(signature("b@gmail.com", Locale::Uk), 600),
            confirmed(signature("c@yandex.ru", Locale::Uk), 6_000),
            signature("d@gmail.com", Locale::Uk),
            signature("e@mail.ru", Locale::Ru),
        ] {
            figures.add(&signature);
        }
        let uk = &figures.by_language[&Locale::Uk];
        assert_eq!((uk.signed, uk.confirmed), (4, 3));
        assert_eq!(uk.rate(), Some(75.0));
        assert_eq!(uk.median_delay(), Some(600));
        let gmail_uk = &figures.by_family[&Some(MailFamily::Gmail)];
        assert_eq!(gmail_uk.median_delay(), Some(330), "between 60 and 600");
        let gmail = &figures.by_family[&Some(MailFamily::Gmail)];
        assert_eq!((gmail.signed, gmail.confirmed), (3, 2));
        assert_eq!(figures.by_language[&Locale::Ru].median_delay(), None);
        assert_eq!(figures.mail.waiting, 2);
        assert_eq!((figures.signed(), figures.confirmed()), (5, 3));
        let (signed, confirmed) = figures.per_day();
        assert_eq!(signed.values().sum::<u64>(), 5);
        assert_eq!(confirmed.len(), 1, "all on the day they signed");
    }

    #[test]
    fn the_mail_counts_where_each_pending_signature_stands() {
        let mut figures = Figures::default();
        let mut mailed = signature("a@example.org", Locale::En);
        mailed.mailed_link = Some(mailed.link.secret_hash);
        let mut bounced = mailed.clone();
        bounced.undeliverable = true;
        let mut reminded = confirmed(signature("b@example.org", Locale::En), 90_000);
        reminded.reminded_at = Some(Timestamp::from_unix_seconds(SIGNED + 86_400));
        for signature in [&mailed, &bounced, &reminded] {
            figures.add(signature);
        }
        assert_eq!(
            figures.mail,
            Mail {
                waiting: 0,
                unclicked: 1,
                bounced: 1,
                reminded: 1,
                confirmed_after_reminder: 1
            }
        );
        let day = UtcDay::of(Timestamp::from_unix_seconds(SIGNED));
        for emails in [0, 1, 3, 3] {
            figures.add_mailbox_day(day, emails, 3);
        }
        assert_eq!(figures.mailbox_days[&day], (3, 2));
    }

    #[test]
    fn countries_under_the_rule_are_counted_together() {
        let mut figures = Figures::default();
        for (address, country) in [("a@x.org", "UA"), ("b@x.org", "UA"), ("c@x.org", "PL")] {
            let mut signature = confirmed(signature(address, Locale::En), 60);
            signature.country = Country::parse(country).unwrap();
            figures.add(&signature);
        }
        let (shown, others) = figures.countries(2);
        assert_eq!(shown, [(Country::parse("UA").unwrap(), 2)]);
        assert_eq!(others, 1);
        assert_eq!(figures.countries(0).0.len(), 2);
    }
}
