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
    fn listed<T: From<String> + std::fmt::Debug>(values: &[&str], known: impl Fn(&T) -> bool) {
        for v in values {
            let parsed = T::from(v.to_string());
            assert!(
                known(&parsed),
                "`{v}` is not a value the spec lists ({parsed:?})"
            );
        }
    }
    listed::<IndicatorType>(ioc_simulator::TYPES, |t| {
        !matches!(t, IndicatorType::Unknown(_))
    });
    listed::<Action>(ioc_simulator::ACTIONS, |t| !matches!(t, Action::Unknown(_)));
    listed::<Platform>(ioc_simulator::PLATFORMS, |t| {
        !matches!(t, Platform::Unknown(_))
    });
    listed::<Severity>(ioc_simulator::SEVERITIES, |t| {
        !matches!(t, Severity::Unknown(_))
    });
}
