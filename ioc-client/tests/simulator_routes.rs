//! The simulator is written by hand, apart from the generator, so that it checks the client
//! rather than agreeing with it by construction; this test keeps it honest. Row by row, each
//! operation the simulator serves is the generated table's: the same method and path, the
//! same parameters in the same order (each in the query, as the simulator reads them, with
//! the same kind and requiredness), and a JSON body exactly where the table has one. The value
//! sets the simulator accepts are values the spec lists.

use falcon_runtime::operation::{Kind, Location, Scalar};
use ioc_client::models::{Action, IndicatorType, Platform, Severity};
use ioc_client::table;
use ioc_simulator::ops;

/// The simulator's kind for a table parameter's kind.
fn simulated(kind: Kind) -> Option<ops::Kind> {
    match kind {
        Kind::Scalar(Scalar::String) => Some(ops::Kind::Str),
        Kind::Scalar(Scalar::Integer) => Some(ops::Kind::Int),
        Kind::Scalar(Scalar::Boolean) => Some(ops::Kind::Bool),
        Kind::Array(..) => Some(ops::Kind::Array),
        _ => None,
    }
}

#[test]
fn every_simulated_route_is_its_table_row() {
    assert_eq!(ops::OPERATIONS.len(), table::OPERATIONS.len());
    for sim in ops::OPERATIONS {
        let row = table::OPERATIONS
            .iter()
            .find(|row| row.id() == sim.id)
            .unwrap_or_else(|| panic!("the table has no operation `{}`", sim.id));
        let id = sim.id;
        assert_eq!(sim.method, row.method.as_str(), "{id}: method");
        assert_eq!(sim.path, row.path, "{id}: path");
        let want: Vec<(&str, Location, Option<ops::Kind>, bool)> = row
            .params
            .iter()
            .map(|p| (p.name, p.location, simulated(p.kind), p.required))
            .collect();
        let have: Vec<(&str, Location, Option<ops::Kind>, bool)> = sim
            .params
            .iter()
            .map(|p| (p.name, Location::Query, Some(p.kind), p.required))
            .collect();
        assert_eq!(
            have, want,
            "{id}: parameters (name, location, kind, required)"
        );
        assert_eq!(sim.body, row.body.is_some(), "{id}: JSON body");
    }
}

#[test]
fn the_simulators_value_sets_are_the_specs() {
    // Both ways: each value the simulator accepts is one the spec lists (`parse` refuses the
    // rest), and each value the spec lists (`ALL`) is one the simulator accepts.
    fn same<T: std::str::FromStr>(name: &str, simulator: &[&str], spec: &[T], json: fn(&T) -> &str)
    where
        T::Err: std::fmt::Display,
    {
        for v in simulator {
            if let Err(e) = v.parse::<T>() {
                panic!("{name}: the simulator accepts `{v}`, which the spec does not list: {e}");
            }
        }
        for v in spec.iter().map(json) {
            assert!(
                simulator.contains(&v),
                "{name}: the spec lists `{v}`, which the simulator does not accept"
            );
        }
    }
    same(
        "type",
        ioc_simulator::TYPES,
        &IndicatorType::ALL,
        IndicatorType::as_str,
    );
    same(
        "action",
        ioc_simulator::ACTIONS,
        &Action::ALL,
        Action::as_str,
    );
    same(
        "platform",
        ioc_simulator::PLATFORMS,
        &Platform::ALL,
        Platform::as_str,
    );
    same(
        "severity",
        ioc_simulator::SEVERITIES,
        &Severity::ALL,
        Severity::as_str,
    );
}
