//! Lambda's event filtering, as the template's event source mappings ask for it: the tests hand
//! a function only the stream records its mapping would, so a pattern that drops what the code
//! needs fails here, not on AWS. The rules used are Lambda's: a list of values matches a field
//! equal to any of them, `{"prefix": …}` a string that starts so, `{"exists": …}` a field
//! there or not, and only a field that holds a value, never an object (a DynamoDB attribute is
//! `{"S": …}`: its value is one level down); an object matches field by field; any of a
//! mapping's filters lets a record in.

use serde_json::Value;

/// The filter patterns of `function`'s event source mappings in `infra/template.yaml`.
pub fn patterns_of(function: &str) -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    let template: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(path).expect("infra/template.yaml"))
            .expect("the template is YAML");
    let events = &template["Resources"][function]["Properties"]["Events"];
    let mut patterns = Vec::new();
    for event in events.as_mapping().into_iter().flatten().map(|(_, e)| e) {
        let filters = &event["Properties"]["FilterCriteria"]["Filters"];
        for filter in filters.as_sequence().into_iter().flatten() {
            let pattern = filter["Pattern"].as_str().expect("a filter has a pattern");
            patterns.push(serde_json::from_str(pattern).expect("a pattern is JSON"));
        }
    }
    patterns
}

/// Whether a record (as JSON, the way Lambda reads it) passes: with no pattern, every record.
pub fn passes(patterns: &[Value], record: &Value) -> bool {
    patterns.is_empty() || patterns.iter().any(|p| matches(p, Some(record)))
}

fn matches(pattern: &Value, field: Option<&Value>) -> bool {
    match pattern {
        Value::Object(fields) => fields
            .iter()
            .all(|(name, sub)| matches(sub, field.and_then(|f| f.get(name)))),
        Value::Array(options) => options.iter().any(|option| is(option, field)),
        other => panic!("a pattern holds objects and lists of values, not {other}"),
    }
}

fn is(option: &Value, field: Option<&Value>) -> bool {
    match option {
        Value::Object(rule) => match rule.iter().next() {
            Some((name, Value::String(start))) if name == "prefix" => field
                .and_then(Value::as_str)
                .is_some_and(|value| value.starts_with(start.as_str())),
            Some((name, Value::Bool(exists))) if name == "exists" => {
                field.is_some_and(|value| !value.is_object() && !value.is_array()) == *exists
            }
            _ => panic!("a rule Lambda's filtering has, and these tests do not: {option}"),
        },
        value => field == Some(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_prefixes_and_presence_match_as_lambda_reads_them() {
        let pending = json!({ "dynamodb": { "Keys": { "pk": { "S": "ab" } },
            "NewImage": { "status": { "S": "pending" } } } });
        let contact = json!({ "dynamodb": { "Keys": { "pk": { "S": "organisation-contact#x" } },
            "NewImage": { "link_nonce": { "S": "00" } } } });
        let status = json!({ "dynamodb": { "NewImage": { "status": { "S": ["pending"] } } } });
        let link = json!({ "dynamodb": {
            "Keys": { "pk": { "S": [{ "prefix": "organisation-contact#" }] } },
            "NewImage": { "link_nonce": { "S": [{ "exists": true }] } } } });
        let on_the_attribute = json!({ "dynamodb": {
            "NewImage": { "link_nonce": [{ "exists": true }] } } });
        assert!(
            !passes(&[on_the_attribute], &contact),
            "exists looks at values only: the attribute holds an object"
        );
        assert!(passes(std::slice::from_ref(&status), &pending));
        assert!(!passes(std::slice::from_ref(&status), &contact));
        assert!(passes(&[status, link.clone()], &contact));
        assert!(!passes(&[link], &pending));
        assert!(passes(&[], &contact));
    }
}
