//! The vocabulary of the generated sidecar (`src/generated/help.rs`, written by `cargo xtask
//! codegen` from the same spec as the client): per operation, the command-line names the
//! generator chose and the spec's words for help. The operation table (`ioc_client::table`)
//! says how each operation goes on the wire; entries and rows are matched by operation id.

/// The sidecar of one API.
#[derive(Debug)]
pub struct Api {
    /// The spec's title.
    pub title: &'static str,
    /// One entry per table row, in the table's order.
    pub operations: &'static [Operation],
    /// Long flags the generator kept free for the CLI's own options.
    pub reserved_flags: &'static [&'static str],
    /// Subcommands the generator kept free for the CLI's own commands.
    pub reserved_commands: &'static [&'static str],
}

impl Api {
    /// The entry of the operation with this spec id.
    pub fn operation(&self, id: &str) -> Option<&'static Operation> {
        self.operations.iter().find(|o| o.id == id)
    }
}

/// One operation.
#[derive(Debug)]
pub struct Operation {
    /// The spec's operation id (the table row's first id).
    pub id: &'static str,
    /// The subcommand (`indicator-search-v1`).
    pub name: &'static str,
    /// Other names of the subcommand: the spec id, its `_` form, the method name, the
    /// PascalCase alias, each when no other operation has it.
    pub aliases: &'static [&'static str],
    pub summary: &'static str,
    pub description: &'static str,
    pub deprecated: bool,
    /// What `--body` takes ("" when the operation has no body).
    pub body: &'static str,
    /// The body's fields, nested ones indented, each with its type, values and whether it is
    /// required, then an example body ("" when the operation has no JSON body).
    pub body_fields: &'static str,
    /// The parameters that have a flag of their own (all but files), in the row's order.
    pub params: &'static [Param],
    /// The file parameters (`--file FIELD=PATH`).
    pub files: &'static [File],
}

impl Operation {
    /// The entry of the parameter calls name `name` (the table row's `arg`).
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// One parameter with a flag.
#[derive(Debug)]
pub struct Param {
    /// The name calls give the parameter (the table row's `arg`: its wire name, unless another
    /// parameter of the operation has that wire name in another place).
    pub name: &'static str,
    /// The long flag, without `--`.
    pub flag: &'static str,
    /// Other long flags reaching it (the wire name, when it differs and is free).
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    /// Values the spec lists: offered by completion, never enforced (the service accepts more).
    pub values: &'static [&'static str],
    /// The default the service applies when the flag is not given.
    pub default: Option<&'static str>,
}

/// One file parameter of a multipart form.
#[derive(Debug)]
pub struct File {
    /// The form field (the table row's `arg`).
    pub name: &'static str,
    pub description: &'static str,
}
