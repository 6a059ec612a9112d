//! SES's events about the emails it sent, shaped as its documentation gives them for event
//! publishing, and delivered as SNS delivers them to a subscribed function.

/// SES's event about one email, in the shape its documentation gives for event publishing; a
/// confirmation email's, tagged as the SES mailer tags it.
fn ses_event(kind: &str, about: &str, detail: serde_json::Value) -> serde_json::Value {
    let mut event = serde_json::json!({
        "eventType": kind,
        "mail": {
            "timestamp": "2026-11-29T10:00:00.000Z",
            "source": format!("People First <{}>", super::SENDER_ADDRESS),
            "sendingAccountId": "123456789012",
            "messageId": "0100019a-example",
            "destination": [about],
            "headersTruncated": false,
            "tags": { "ses:configuration-set": ["people-first"], "kind": ["confirmation"] },
        },
    });
    event[kind.to_lowercase()] = detail;
    event
}

pub fn bounce(about: &str, bounce_type: &str) -> serde_json::Value {
    ses_event(
        "Bounce",
        about,
        serde_json::json!({
            "bounceType": bounce_type,
            "bounceSubType": "General",
            "bouncedRecipients": [{
                "emailAddress": about, "action": "failed", "status": "5.1.1",
                "diagnosticCode": "smtp; 550 5.1.1 user unknown",
            }],
            "timestamp": "2026-11-29T10:00:01.000Z",
            "feedbackId": "0100019a-feedback",
            "reportingMTA": "dsn; mta.example.org",
        }),
    )
}

/// The same event about an organisation's email.
pub fn about_an_organisation(mut event: serde_json::Value) -> serde_json::Value {
    event["mail"]["tags"]["kind"] = serde_json::json!(["organisation"]);
    event
}

/// The same event about an update, tagged with its number as the SES mailer tags it.
pub fn about_an_update(mut event: serde_json::Value, update: u32) -> serde_json::Value {
    event["mail"]["tags"]["kind"] = serde_json::json!(["update"]);
    event["mail"]["tags"]["update"] = serde_json::json!([update.to_string()]);
    event
}

pub fn complaint(about: &str) -> serde_json::Value {
    ses_event(
        "Complaint",
        about,
        serde_json::json!({
            "complainedRecipients": [{ "emailAddress": about }],
            "timestamp": "2026-11-29T10:05:00.000Z",
            "feedbackId": "0100019a-complaint",
            "userAgent": "ExampleCorp Feedback Loop (V0.01)",
            "complaintFeedbackType": "abuse",
            "arrivalDate": "2026-11-29T10:04:00.000Z",
        }),
    )
}

/// Events as SNS delivers them to a subscribed function: each SES event a JSON string.
pub fn sns_delivery(messages: &[serde_json::Value]) -> serde_json::Value {
    let records: Vec<serde_json::Value> = messages
        .iter()
        .enumerate()
        .map(|(n, message)| {
            serde_json::json!({
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": "arn:aws:sns:eu-west-1:123456789012:MailEvents:2c9f",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": format!("95df01b4-ee98-5cb9-9903-4c221d41eb5{n}"),
                    "TopicArn": "arn:aws:sns:eu-west-1:123456789012:MailEvents",
                    "Subject": null,
                    "Message": message.to_string(),
                    "Timestamp": "2026-11-29T10:05:01.000Z",
                    "SignatureVersion": "1",
                    "Signature": "EXAMPLE",
                    "SigningCertUrl": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService.pem",
                    "UnsubscribeUrl": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
                    "MessageAttributes": {},
                },
            })
        })
        .collect();
    serde_json::json!({ "Records": records })
}
