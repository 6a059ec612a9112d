//! The messages the code asks for by name. Each is a constant here, so a mistyped id does not
//! compile, and a locale test renders every one in every language. Templates name theirs in
//! `t("…")`, which the page tests render in every language.

/// The id of a message in every language's Fluent files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct MessageId(&'static str);

impl MessageId {
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

macro_rules! message_ids {
    ($($name:ident = $id:literal,)*) => {
        impl MessageId {
            $(pub const $name: MessageId = MessageId($id);)*
            /// Every id above, for the locale tests.
            pub const ALL: &[MessageId] = &[$(MessageId::$name),*];
        }
    };
}

message_ids! {
    CAMPAIGN_NAME = "campaign-name",
    CHECK_EMAIL_TITLE = "check-email-title",
    COUNTER_GOAL = "counter-goal",
    COUNTER_HERE = "counter-here",
    COUNTER_SIGNATURES = "counter-signatures",
    COUNTER_UNAVAILABLE = "counter-unavailable",
    EMAIL_EXPIRY = "email-expiry",
    EMAIL_REMINDER_SUBJECT = "email-reminder-subject",
    EMAIL_SUBJECT = "email-subject",
    ERASED_BODY = "erased-body",
    ERASED_TITLE = "erased-title",
    ERROR_BODY_TOO_LARGE = "error-body-too-large",
    ERROR_CONTENT_TYPE = "error-content-type",
    ERROR_MALFORMED = "error-malformed",
    ERROR_METHOD = "error-method",
    ERROR_NOT_FOUND = "error-not-found",
    ERROR_NOT_THROUGH_SITE = "error-not-through-site",
    ERROR_OTHER_SITE = "error-other-site",
    ERROR_TITLE = "error-title",
    ERROR_UNAVAILABLE = "error-unavailable",
    LANGUAGE_NAME = "language-name",
    LINK_UNKNOWN_BODY = "link-unknown-body",
    LINK_UNKNOWN_TITLE = "link-unknown-title",
    MODERATION_EMAIL_BODY = "moderation-email-body",
    MODERATION_EMAIL_SUBJECT = "moderation-email-subject",
    ORGANISATION_CHECK_EMAIL_BODY = "organisation-check-email-body",
    ORGANISATION_CONFIRMED_BODY = "organisation-confirmed-body",
    ORGANISATION_CONFIRMED_TITLE = "organisation-confirmed-title",
    ORGANISATION_LINK_DEAD_BODY = "organisation-link-dead-body",
    ORGANISATION_SEND_AGAIN = "organisation-send-again",
    POLICY_DATE = "policy-date",
    SHARE_TEXT = "share-text",
    SIGN_HEADING = "sign-heading",
    SUPPORTER_APPROVED_BODY = "supporter-approved-body",
    SUPPORTER_APPROVED_BUTTON = "supporter-approved-button",
    SUPPORTER_APPROVED_CODE = "supporter-approved-code",
    SUPPORTER_APPROVED_SUBJECT = "supporter-approved-subject",
    SUPPORTER_EMAIL_ACTION = "supporter-email-action",
    SUPPORTER_EMAIL_BUTTON = "supporter-email-button",
    SUPPORTER_EMAIL_IGNORE = "supporter-email-ignore",
    SUPPORTER_EMAIL_INTRO = "supporter-email-intro",
    SUPPORTER_EMAIL_SUBJECT = "supporter-email-subject",
    SUPPORTER_REJECTED_BODY = "supporter-rejected-body",
    SUPPORTER_REJECTED_SUBJECT = "supporter-rejected-subject",
    SUPPORTERS_COUNT = "supporters-count",
    THANK_YOU_BODY = "thank-you-body",
    THANK_YOU_TITLE = "thank-you-title",
    UNSUBSCRIBED_BODY = "unsubscribed-body",
    UNSUBSCRIBED_TITLE = "unsubscribed-title",
    UPDATE_FOOTER_UNSUBSCRIBE = "update-footer-unsubscribe",
    UPDATE_FOOTER_WHY = "update-footer-why",
    WITHDRAWN_BODY = "withdrawn-body",
    WITHDRAWN_TITLE = "withdrawn-title",
}
