//! The operation table (all 26 operations of `spec/ioc.yaml`) and request validation
//! against it: undeclared query parameters, type errors, missing required parameters and
//! missing or non-JSON bodies all give a 400 naming the problem.

use serde_json::Value;

use crate::envelope::Reply;

/// The declared type of a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Any text.
    Str,
    /// A decimal integer.
    Int,
    /// `true` / `false` (Go `strconv.ParseBool` spellings are accepted).
    Bool,
    /// Repeated key (`ids=a&ids=b`).
    Array,
}

/// One declared query parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Name on the wire.
    pub name: &'static str,
    /// Declared type.
    pub kind: Kind,
    /// Whether it must be present.
    pub required: bool,
}

const fn p(name: &'static str, kind: Kind, required: bool) -> Param {
    Param {
        name,
        kind,
        required,
    }
}

/// One operation of the API.
#[derive(Debug)]
pub struct Operation {
    /// Operation id as in the spec.
    pub id: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// URL path.
    pub path: &'static str,
    /// Declared query parameters.
    pub params: &'static [Param],
    /// Whether a JSON request body is required.
    pub body: bool,
}

use Kind::{Array, Bool, Int, Str};

const TYPE_VALUE: &[Param] = &[p("type", Str, true), p("value", Str, true)];
const RAN_ON_DEVICES: &[Param] = &[
    p("type", Str, true),
    p("value", Str, true),
    p("limit", Str, false),
    p("offset", Str, false),
];
const RAN_ON_PROCESSES: &[Param] = &[
    p("type", Str, true),
    p("value", Str, true),
    p("device_id", Str, true),
    p("limit", Str, false),
    p("offset", Str, false),
];
const SEARCH: &[Param] = &[
    p("filter", Str, false),
    p("offset", Int, false),
    p("limit", Int, false),
    p("sort", Str, false),
    p("after", Str, false),
    p("from_parent", Bool, false),
];
const CATALOG: &[Param] = &[p("offset", Str, false), p("limit", Int, false)];
const WRITE_FLAGS: &[Param] = &[
    p("retrodetects", Bool, false),
    p("ignore_warnings", Bool, false),
];

const fn op(
    id: &'static str,
    method: &'static str,
    path: &'static str,
    params: &'static [Param],
    body: bool,
) -> Operation {
    Operation {
        id,
        method,
        path,
        params,
        body,
    }
}

/// Every operation, in spec order.
pub static OPERATIONS: &[Operation] = &[
    op(
        "DevicesCount",
        "GET",
        "/indicators/aggregates/devices-count/v1",
        TYPE_VALUE,
        false,
    ),
    op(
        "GetIOC",
        "GET",
        "/indicators/entities/iocs/v1",
        TYPE_VALUE,
        false,
    ),
    op(
        "CreateIOC",
        "POST",
        "/indicators/entities/iocs/v1",
        &[],
        true,
    ),
    op(
        "UpdateIOC",
        "PATCH",
        "/indicators/entities/iocs/v1",
        TYPE_VALUE,
        true,
    ),
    op(
        "DeleteIOC",
        "DELETE",
        "/indicators/entities/iocs/v1",
        TYPE_VALUE,
        false,
    ),
    op(
        "DevicesRanOn",
        "GET",
        "/indicators/queries/devices/v1",
        RAN_ON_DEVICES,
        false,
    ),
    op(
        "QueryIOCs",
        "GET",
        "/indicators/queries/iocs/v1",
        &[
            p("types", Str, false),
            p("values", Str, false),
            p("from.expiration_timestamp", Str, false),
            p("to.expiration_timestamp", Str, false),
            p("policies", Str, false),
            p("sources", Str, false),
            p("share_levels", Str, false),
            p("created_by", Str, false),
            p("deleted_by", Str, false),
            p("include_deleted", Str, false),
        ],
        false,
    ),
    op(
        "ProcessesRanOn",
        "GET",
        "/indicators/queries/processes/v1",
        RAN_ON_PROCESSES,
        false,
    ),
    op(
        "indicator_get_device_count_v1",
        "GET",
        "/iocs/aggregates/indicators/device-count/v1",
        TYPE_VALUE,
        false,
    ),
    op(
        "indicator.aggregate.v1",
        "POST",
        "/iocs/aggregates/indicators/v1",
        &[p("filter", Str, false), p("from_parent", Bool, false)],
        true,
    ),
    op(
        "indicator.combined.v1",
        "GET",
        "/iocs/combined/indicator/v1",
        SEARCH,
        false,
    ),
    op(
        "action.get.v1",
        "GET",
        "/iocs/entities/actions/v1",
        &[p("ids", Array, false)],
        false,
    ),
    op(
        "GetIndicatorsReport",
        "POST",
        "/iocs/entities/indicators-reports/v1",
        &[],
        true,
    ),
    op(
        "indicator.get.v1",
        "GET",
        "/iocs/entities/indicators/v1",
        &[p("ids", Array, true)],
        false,
    ),
    op(
        "indicator.create.v1",
        "POST",
        "/iocs/entities/indicators/v1",
        WRITE_FLAGS,
        true,
    ),
    op(
        "indicator.delete.v1",
        "DELETE",
        "/iocs/entities/indicators/v1",
        &[
            p("filter", Str, false),
            p("ids", Array, false),
            p("comment", Str, false),
            p("from_parent", Bool, false),
        ],
        false,
    ),
    op(
        "indicator.update.v1",
        "PATCH",
        "/iocs/entities/indicators/v1",
        WRITE_FLAGS,
        true,
    ),
    op(
        "action.query.v1",
        "GET",
        "/iocs/queries/actions/v1",
        CATALOG,
        false,
    ),
    op(
        "indicator_get_devices_ran_on_v1",
        "GET",
        "/iocs/queries/indicators/devices/v1",
        RAN_ON_DEVICES,
        false,
    ),
    op(
        "indicator_get_processes_ran_on_v1",
        "GET",
        "/iocs/queries/indicators/processes/v1",
        RAN_ON_PROCESSES,
        false,
    ),
    op(
        "indicator.search.v1",
        "GET",
        "/iocs/queries/indicators/v1",
        SEARCH,
        false,
    ),
    op(
        "ioc_type.query.v1",
        "GET",
        "/iocs/queries/ioc-types/v1",
        CATALOG,
        false,
    ),
    op(
        "platform.query.v1",
        "GET",
        "/iocs/queries/platforms/v1",
        CATALOG,
        false,
    ),
    op(
        "severity.query.v1",
        "GET",
        "/iocs/queries/severities/v1",
        CATALOG,
        false,
    ),
    op(
        "indicator_sdmf_query_v1",
        "POST",
        "/iocs/sdmf/query/v1",
        &[],
        true,
    ),
    op(
        "entities.processes",
        "GET",
        "/processes/entities/processes/v1",
        &[p("ids", Array, true)],
        false,
    ),
];

/// The report-executions operations (outside the IOC API, in Falcon's Report Executions
/// collection): where a job started by `GetIndicatorsReport` is followed and downloaded.
pub static REPORT_OPERATIONS: &[Operation] = &[
    op(
        "report-executions.get",
        "GET",
        "/reports/entities/report-executions/v1",
        &[p("ids", Array, true)],
        false,
    ),
    op(
        "report-executions.query",
        "GET",
        "/reports/queries/report-executions/v1",
        &[
            p("sort", Str, false),
            p("filter", Str, false),
            p("q", Str, false),
            p("offset", Str, false),
            p("limit", Int, false),
        ],
        false,
    ),
    op(
        "report-executions-download.get",
        "GET",
        "/reports/entities/report-executions-download/v1",
        &[p("ids", Str, true)],
        false,
    ),
];

/// Why a request matched no operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// No operation has this path.
    NotFound,
    /// The path exists, but not with this method.
    MethodNotAllowed,
}

/// Finds the operation for a method and path (a trailing `/` is ignored).
pub fn find(method: &str, path: &str) -> Result<&'static Operation, Miss> {
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let mut path_seen = false;
    for o in OPERATIONS.iter().chain(REPORT_OPERATIONS) {
        if o.path == path {
            path_seen = true;
            if o.method.eq_ignore_ascii_case(method) {
                return Ok(o);
            }
        }
    }
    Err(if path_seen {
        Miss::MethodNotAllowed
    } else {
        Miss::NotFound
    })
}

/// Decoded query pairs with typed accessors.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Pairs in wire order.
    pub pairs: Vec<(String, String)>,
}

/// Parses a boolean the way the service (Go `strconv.ParseBool`) does.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

impl Query {
    /// Parses a raw query string.
    pub fn parse(raw: &str) -> Query {
        Query {
            pairs: form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        }
    }

    /// First value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// First non-empty value of `name`.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// Every value of `name`, each also split on `,`; empty items dropped.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Boolean value of `name` (validated already), or `default`.
    pub fn flag(&self, name: &str, default: bool) -> bool {
        self.get(name).and_then(parse_bool).unwrap_or(default)
    }
}

/// Checks a request against its operation's declaration. `body` is the raw body as JSON, when
/// it parsed (the caller has parsed it already: a 2,000-indicator body is not parsed twice).
pub fn validate(
    op: &Operation,
    query: &Query,
    raw_body: &[u8],
    body: Option<&Value>,
) -> Result<(), Reply> {
    for (name, value) in &query.pairs {
        let Some(param) = op.params.iter().find(|p| p.name == name) else {
            return Err(Reply::error(
                400,
                format!(
                    "Invalid query parameter '{name}': not a parameter of {}",
                    op.id
                ),
            ));
        };
        match param.kind {
            Kind::Int if value.trim().parse::<i64>().is_err() => {
                return Err(Reply::error(
                    400,
                    format!("Invalid value for parameter '{name}': '{value}' is not an integer"),
                ));
            }
            Kind::Bool if parse_bool(value).is_none() => {
                return Err(Reply::error(
                    400,
                    format!("Invalid value for parameter '{name}': '{value}' is not a boolean"),
                ));
            }
            _ => {}
        }
    }
    for param in op.params.iter().filter(|p| p.required) {
        if query.get(param.name).is_none() {
            return Err(Reply::error(
                400,
                format!("Missing required parameter '{}'", param.name),
            ));
        }
    }
    if op.body {
        if raw_body.iter().all(u8::is_ascii_whitespace) {
            return Err(Reply::error(400, "A JSON request body is required"));
        }
        if body.is_none() {
            return Err(Reply::error(400, "Request body is not valid JSON"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_26_unique_operations() {
        assert_eq!(OPERATIONS.len(), 26);
        let mut ids: Vec<_> = OPERATIONS.iter().map(|o| o.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 26);
    }

    #[test]
    fn finds_by_method_and_path() {
        assert_eq!(
            find("GET", "/iocs/entities/indicators/v1").unwrap().id,
            "indicator.get.v1"
        );
        assert_eq!(
            find("PUT", "/iocs/entities/indicators/v1").unwrap_err(),
            Miss::MethodNotAllowed
        );
        assert_eq!(find("GET", "/nope").unwrap_err(), Miss::NotFound);
        assert_eq!(
            find("GET", "/reports/entities/report-executions/v1")
                .unwrap()
                .id,
            "report-executions.get"
        );
    }
}
