//! ID lists longer than one request holds: sent as several requests, their replies merged into
//! one, for typed calls and `command()` alike.
//!
//! A query list whose parameter has a `max_items` (the spec's `maxItems`, on the table row) goes
//! out in chunks of at most that many items, each also within [`ID_QUERY_BUDGET`] bytes of URL,
//! so a long list never makes a URL the service or the HTTP stack refuses. The replies, sent one
//! after another, come back as one: `resources` and `errors` in order, the `meta` and headers
//! of the last. A chunk whose IDs were all unknown (404) adds its `errors`; any other failure
//! ends the call with that error (the chunks before it took effect).

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::args::ArgValue;
use crate::client::Client;
use crate::error::Error;
use crate::operation::{Kind, Location};
use crate::request::Request;
use crate::send::RawReply;

/// The most bytes the items of one split list may take in a request's query, as PSFalcon
/// budgets it (the length of 500 32-character IDs with their `ids=` and `&`): 268 of the
/// 64-character indicator IDs.
pub(crate) const ID_QUERY_BUDGET: usize = 18_500;

impl Request {
    /// The requests this one goes out as: itself, or one per chunk of the list that is longer
    /// than one request holds. Two such lists cannot be split together and are refused.
    pub(crate) fn split(self) -> Result<Vec<Request>, Error> {
        let long: Vec<usize> = self
            .args
            .iter()
            .enumerate()
            .filter(|(_, (param, value))| match value {
                ArgValue::List(items) => {
                    param.location == Location::Query
                        && matches!(param.kind, Kind::Array(..))
                        && param.max_items.is_some_and(|max| {
                            chunks(param.name, items, max as usize).nth(1).is_some()
                        })
                }
                _ => false,
            })
            .map(|(i, _)| i)
            .collect();
        let at = match long.as_slice() {
            [] => return Ok(vec![self]),
            [one] => *one,
            [first, second, ..] => {
                let (a, b) = (self.args[*first].0, self.args[*second].0);
                return Err(Error::invalid(
                    &self.label,
                    Some(a.arg),
                    format!(
                        "`{}` and `{}` are both longer than one request holds ({} and {} \
                         items at most), and only one list can be split; send fewer",
                        a.arg,
                        b.arg,
                        a.max_items.unwrap_or_default(),
                        b.max_items.unwrap_or_default()
                    ),
                ));
            }
        };
        let (param, ArgValue::List(items)) = &self.args[at] else {
            unreachable!("only lists are split");
        };
        let max = param.max_items.unwrap_or(u32::MAX) as usize;
        Ok(chunks(param.name, items, max)
            .map(|chunk| {
                let mut part = self.clone();
                part.args[at].1 = ArgValue::List(chunk.to_vec());
                part
            })
            .collect())
    }
}

/// `items` cut into runs of at most `max`, each within [`ID_QUERY_BUDGET`] once encoded as
/// `name=item&` pairs (an item longer than the budget goes alone).
fn chunks<'a>(
    name: &'a str,
    items: &'a [String],
    max: usize,
) -> impl Iterator<Item = &'a [String]> + 'a {
    let max = max.max(1);
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut n = 0;
        for item in rest.iter().take(max) {
            let size = encoded_len(name) + encoded_len(item) + 2;
            if n > 0 && bytes + size > ID_QUERY_BUDGET {
                break;
            }
            bytes += size;
            n += 1;
        }
        let (chunk, next) = rest.split_at(n);
        rest = next;
        Some(chunk)
    })
}

/// The length of `s` percent-encoded in a query (unreserved characters stay, others take three).
fn encoded_len(s: &str) -> usize {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                1
            } else {
                3
            }
        })
        .sum()
}

impl Client {
    /// Sends a request, as several when a list of it is longer than one request holds (see the
    /// module docs), and hands back one reply.
    pub(crate) async fn execute_split(&self, request: Request) -> Result<RawReply, Error> {
        let mut parts = request.split()?;
        if parts.len() == 1 {
            return self.execute(parts.remove(0)).await;
        }
        let mut replies = Vec::with_capacity(parts.len());
        for part in parts {
            let reply = self.execute(part).await?;
            if !reply.is_success() && reply.status != 404 {
                return Ok(reply);
            }
            replies.push(reply);
        }
        Ok(merge(replies))
    }
}

/// One reply for the replies of a split request: a success status when any chunk succeeded
/// (else the first chunk's 404), `resources` and `errors` of all in order, the `meta` and
/// headers of the last.
fn merge(replies: Vec<RawReply>) -> RawReply {
    let status = replies
        .iter()
        .find(|r| r.is_success())
        .or(replies.first())
        .map_or(200, |r| r.status);
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    let mut meta = None;
    let mut last = None;
    for reply in replies {
        if let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(reply.body()) {
            for (key, into) in [("resources", &mut resources), ("errors", &mut errors)] {
                if let Some(Value::Array(items)) = body.remove(key) {
                    into.extend(items);
                }
            }
            meta = body.remove("meta").or(meta);
        }
        last = Some(reply);
    }
    let last = last.expect("a split request has at least two parts");
    let mut body = Map::new();
    body.insert("errors".into(), Value::Array(errors));
    body.insert("meta".into(), meta.unwrap_or(Value::Null));
    body.insert("resources".into(), Value::Array(resources));
    RawReply {
        label: last.label,
        status,
        headers: last.headers,
        body: Bytes::from(Value::Object(body).to_string()),
        attempts: last.attempts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize, len: usize) -> Vec<String> {
        (0..n).map(|i| format!("{i:0len$x}")).collect()
    }

    #[test]
    fn chunks_hold_at_most_max_items_and_the_byte_budget() {
        let short = ids(1001, 8);
        let sizes: Vec<usize> = chunks("ids", &short, 500).map(<[String]>::len).collect();
        assert_eq!(sizes, [500, 500, 1]);
        // 64-character IDs: `ids=` + 64 + `&` is 69 bytes, 268 of them fit the budget.
        let long = ids(600, 64);
        let sizes: Vec<usize> = chunks("ids", &long, 500).map(<[String]>::len).collect();
        assert_eq!(sizes, [268, 268, 64]);
        let whole: Vec<String> = chunks("ids", &long, 500).flatten().cloned().collect();
        assert_eq!(whole, long, "every item once, in order");
        let huge = vec!["x".repeat(ID_QUERY_BUDGET * 2), "y".into()];
        let sizes: Vec<usize> = chunks("ids", &huge, 500).map(<[String]>::len).collect();
        assert_eq!(sizes, [1, 1], "an item over the budget goes alone");
        assert_eq!(chunks("ids", &[], 500).count(), 0);
    }

    #[test]
    fn replies_merge_in_order_with_the_last_meta() {
        let reply = |status: u16, body: &str| RawReply {
            label: "op".into(),
            status,
            headers: http::HeaderMap::new(),
            body: Bytes::from(body.to_string()),
            attempts: Default::default(),
        };
        let merged = merge(vec![
            reply(
                404,
                r#"{"errors":[{"code":404,"message":"a"}],"resources":[]}"#,
            ),
            reply(200, r#"{"errors":[],"meta":{"n":1},"resources":["x","y"]}"#),
            reply(200, r#"{"errors":null,"meta":{"n":2},"resources":["z"]}"#),
        ]);
        assert_eq!(merged.status, 200);
        let body: Value = serde_json::from_slice(merged.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"errors": [{"code": 404, "message": "a"}], "meta": {"n": 2},
                               "resources": ["x", "y", "z"]})
        );
    }
}
