//! `models.rs`: one Rust type per named schema.
//!
//! Models are tolerant of what the live service sends: every field is optional except required
//! lists and maps, which read `null` or a missing key as empty; open enums keep values they do
//! not know; undeclared keys are ignored unless the schema allows them, in which case they are
//! kept in `additional_properties`.
//!
//! Their (de)serialization is the runtime's (`falcon_runtime::model`): each struct gets a
//! `match` from JSON key to field and one line per field, not serde's derives, whose visitors
//! would be most of what a downstream build compiles. The `{errors, meta, resources}` reply
//! shape most operations share is one generic runtime type, `Envelope`, and such models are
//! aliases of it. A union of JSON scalars is an enum with one variant per JSON type, read through
//! `model::deserialize_union` (one `match` from the JSON scalar to the variant).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::docs::{doc, inner_doc, paragraphs};
use crate::emit::features::Gates;
use crate::emit::types::{describe, rust_type};
use crate::ir::{Api, EnumValue, Field, Model, ModelKind, Scalar, Struct, TypeRef, UnionVariant};

pub(crate) fn emit(api: &Api, runtime: &TokenStream, gates: &Gates) -> TokenStream {
    let header = inner_doc([format!(
        "Types of the request and response bodies of the {}, one per schema of the spec.",
        api.title
    )]);
    let models = api.models.iter().map(|m| {
        // Every item of a model, its impls included, carries its gate.
        let gate = gates.model(&m.rust_name);
        let items = model(m, runtime);
        quote!(#( #gate #items )*)
    });
    // The runtime's `model` module by its own name: every model name is PascalCase.
    quote! {
        #header
        #[allow(unused_imports, reason = "a spec may have no struct or enum, or gate them all")]
        use #runtime::model;
        #(#models)*
    }
}

/// The items of one model: its type, and the impls a struct or enum needs.
fn model(m: &Model, runtime: &TokenStream) -> Vec<TokenStream> {
    let name = format_ident!("{}", m.rust_name);
    let docs = doc(paragraphs([
        m.description.as_deref(),
        Some(&format!("Schema `{}`.", m.name)),
    ]));
    match &m.kind {
        ModelKind::Struct(s) => match envelope(s) {
            Some([resource, meta, error]) => {
                let [r, m, e] = [resource, meta, error].map(|t| rust_type(t, &quote!()));
                vec![quote! {
                    #docs
                    pub type #name = #runtime::Envelope<#r, #m, #e>;
                }]
            }
            None => structure(&name, &docs, s),
        },
        ModelKind::OpenEnum(values) => open_enum(&name, &docs, values),
        ModelKind::Union(variants) => union(&name, &docs, variants),
        ModelKind::Alias(ty) => {
            let ty = rust_type(ty, &quote!());
            vec![quote! {
                #docs
                pub type #name = #ty;
            }]
        }
    }
}

/// The resource, meta and error types of a struct of the shared reply shape: exactly the
/// fields `errors` (a required list), `meta` (anything but a required list or map) and
/// `resources` (a required list), none boxed, no undeclared keys kept.
fn envelope<'s>(s: &'s Struct) -> Option<[&'s TypeRef; 3]> {
    if s.fields.len() != 3 || s.additional.is_some() || s.fields.iter().any(|f| f.boxed) {
        return None;
    }
    let field = |name: &str| s.fields.iter().find(|f| f.json_name == name);
    let (errors, meta, resources) = (field("errors")?, field("meta")?, field("resources")?);
    let required_list = |f: &'s Field| match (&f.ty, f.required) {
        (TypeRef::Array(item), true) => Some(item.as_ref()),
        _ => None,
    };
    if meta.required && matches!(meta.ty, TypeRef::Array(_) | TypeRef::Map(_)) {
        return None;
    }
    Some([required_list(resources)?, &meta.ty, required_list(errors)?])
}

fn structure(name: &Ident, docs: &TokenStream, s: &Struct) -> Vec<TokenStream> {
    let fields = s.fields.iter().map(field);
    // A declared property may already be called `additional_properties`.
    let extra = s.additional.as_ref().map(|ty| {
        let taken = s
            .fields
            .iter()
            .any(|f| f.rust_name == "additional_properties");
        let name = if taken {
            "additional_properties_"
        } else {
            "additional_properties"
        };
        (format_ident!("{name}"), rust_type(ty, &quote!()))
    });
    let extra_field = extra.as_ref().map(|(name, ty)| {
        quote! {
            /// Keys the schema does not declare, kept as sent.
            pub #name: ::std::collections::BTreeMap<String, #ty>,
        }
    });
    let allow = s
        .fields
        .iter()
        .any(|f| f.rust_name != crate::names::snake(&f.rust_name))
        .then(|| quote!(#[allow(non_snake_case)]));
    let keys: Vec<&str> = s.fields.iter().map(|f| f.json_name.as_str()).collect();
    let idents: Vec<Ident> = s
        .fields
        .iter()
        .map(|f| format_ident!("{}", f.rust_name))
        .collect();
    let unknown = match &extra {
        Some((extra, _)) => quote!(_ => model::keep(map, key, &mut self.#extra)),
        None => quote!(_ => model::skip(map)),
    };
    let write_extra = extra
        .as_ref()
        .map(|(extra, _)| quote!(model::write_extra(map, &self.#extra)?;));
    let label = name.to_string();
    vec![
        quote! {
            #docs
            #[derive(Clone, Debug, Default, PartialEq)]
            #allow
            pub struct #name {
                #(#fields)*
                #extra_field
            }
        },
        quote! {
            impl model::Decode for #name {
                fn decode_field<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                    match key {
                        #( #keys => model::read(map, &mut self.#idents), )*
                        #unknown
                    }
                }
            }
        },
        quote! {
            impl model::Encode for #name {
                fn encode_fields<M: ::serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                    #( model::write(map, #keys, &self.#idents)?; )*
                    #write_extra
                    Ok(())
                }
            }
        },
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    model::deserialize(deserializer, #label)
                }
            }
        },
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    model::serialize(self, serializer)
                }
            }
        },
    ]
}

fn field(f: &Field) -> TokenStream {
    let name = format_ident!("{}", f.rust_name);
    let json = &f.json_name;
    let required_collection = f.required && matches!(f.ty, TypeRef::Array(_) | TypeRef::Map(_));
    let mut ty = rust_type(&f.ty, &quote!());
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let note = if required_collection {
        format!(
            "`{json}`: {}; required (`null` reads as empty).",
            describe(&f.ty, "")
        )
    } else if f.required {
        format!(
            "`{json}`: {}; required by the spec, but the service may leave it out.",
            describe(&f.ty, "")
        )
    } else {
        format!("`{json}`: {}.", describe(&f.ty, ""))
    };
    let docs = doc(paragraphs([f.description.as_deref(), Some(&note)]));
    if !required_collection {
        ty = quote!(Option<#ty>);
    }
    quote! {
        #docs
        pub #name: #ty,
    }
}

/// Whether rustc's `non_camel_case_types` lint accepts `name` (its rule: after trimming `_`, no
/// lowercase start, no `__`, no `_` beside a letter).
fn is_camel_case(name: &str) -> bool {
    let name = name.trim_matches('_');
    let chars: Vec<char> = name.chars().collect();
    !chars.first().is_some_and(|c| c.is_lowercase())
        && !name.contains("__")
        && !chars
            .windows(2)
            .any(|w| (w[0].is_alphabetic() && w[1] == '_') || (w[0] == '_' && w[1].is_alphabetic()))
}

fn open_enum(name: &Ident, docs: &TokenStream, values: &[EnumValue]) -> Vec<TokenStream> {
    let variants: Vec<Ident> = values
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let jsons: Vec<&str> = values.iter().map(|v| v.json.as_str()).collect();
    let variant_docs = values.iter().map(|v| {
        let value = format!("`{}`", v.json);
        doc(paragraphs([v.description.as_deref(), Some(value.as_str())]))
    });
    // Values told apart by their spelling (`add`, `Add`) keep it as their variant's name.
    let allow = values
        .iter()
        .any(|v| !is_camel_case(&v.rust_name))
        .then(|| quote!(#[allow(non_camel_case_types)]));
    vec![
        quote! {
            #docs
            ///
            /// Values the spec does not list are kept in `Unknown`, so a newer service never breaks decoding.
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            #allow
            pub enum #name {
                #( #variant_docs #variants, )*
                /// A value the spec does not list, kept as sent.
                Unknown(String),
            }
        },
        quote! {
            impl #name {
                /// The value as it goes on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#variants => #jsons, )*
                        Self::Unknown(value) => value,
                    }
                }
            }
        },
        quote! {
            impl From<String> for #name {
                fn from(value: String) -> Self {
                    match value.as_str() {
                        #( #jsons => Self::#variants, )*
                        _ => Self::Unknown(value),
                    }
                }
            }
        },
        quote! {
            impl From<#name> for String {
                fn from(value: #name) -> Self {
                    match value {
                        #( #name::#variants => #jsons.to_string(), )*
                        #name::Unknown(value) => value,
                    }
                }
            }
        },
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    model::deserialize_enum(deserializer)
                }
            }
        },
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        },
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        },
    ]
}

/// A union of JSON scalars: one variant per JSON type, each holding the value as sent; it reads
/// whichever type the service sends, writes the value back as it is, and displays it as a
/// parameter goes on the wire.
fn union(name: &Ident, docs: &TokenStream, variants: &[UnionVariant]) -> Vec<TokenStream> {
    let label = name.to_string();
    let idents: Vec<Ident> = variants
        .iter()
        .map(|v| format_ident!("{}", crate::lower::variant_name(v.json)))
        .collect();
    let types: Vec<TokenStream> = variants
        .iter()
        .map(|v| rust_type(&v.ty, &quote!()))
        .collect();
    let variant_docs = variants.iter().map(|v| {
        let what = match &v.ty {
            TypeRef::Model(_) => format!("A JSON {} ({}).", v.json.name(), describe(&v.ty, "")),
            _ => format!("A JSON {}.", v.json.name()),
        };
        doc([what])
    });
    let has = |json: Scalar| variants.iter().any(|v| v.json == json);
    // Each JSON scalar the runtime reads to the variant that holds it; an integer fits a number.
    let mut arms: Vec<TokenStream> = variants
        .iter()
        .zip(&idents)
        .map(|(v, ident)| {
            let from = format_ident!("{}", crate::lower::variant_name(v.json));
            let value = match &v.ty {
                TypeRef::Model(_) => quote!(value.into()),
                _ => quote!(value),
            };
            quote!(model::JsonScalar::#from(value) => Some(Self::#ident(#value)),)
        })
        .collect();
    if has(Scalar::Number) && !has(Scalar::Integer) {
        arms.push(quote!(model::JsonScalar::Integer(value) => Some(Self::Number(value as f64)),));
    }
    let covered = [
        Scalar::Boolean,
        Scalar::Integer,
        Scalar::Number,
        Scalar::String,
    ]
    .iter()
    .all(|&json| has(json) || (json == Scalar::Integer && has(Scalar::Number)));
    if !covered {
        arms.push(quote!(_ => None,));
    }
    let froms = variants.iter().zip(&idents).flat_map(|(v, ident)| {
        let mut impls = Vec::new();
        match &v.ty {
            TypeRef::Model(model) => {
                let model = format_ident!("{}", model);
                impls.push(quote! {
                    impl From<#model> for #name {
                        fn from(value: #model) -> Self {
                            Self::#ident(value)
                        }
                    }
                });
                impls.push(quote! {
                    impl From<String> for #name {
                        fn from(value: String) -> Self {
                            Self::#ident(value.into())
                        }
                    }
                });
                impls.push(quote! {
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#ident(value.to_string().into())
                        }
                    }
                });
            }
            ty => {
                let inner = rust_type(ty, &quote!());
                impls.push(quote! {
                    impl From<#inner> for #name {
                        fn from(value: #inner) -> Self {
                            Self::#ident(value)
                        }
                    }
                });
                if v.json == Scalar::String {
                    impls.push(quote! {
                        impl From<&str> for #name {
                            fn from(value: &str) -> Self {
                                Self::#ident(value.to_string())
                            }
                        }
                    });
                }
            }
        }
        impls
    });
    let mut items = vec![
        quote! {
            #docs
            ///
            /// One variant per JSON type the value may have, holding it as sent.
            #[derive(Clone, Debug, PartialEq)]
            pub enum #name {
                #( #variant_docs #idents(#types), )*
            }
        },
        quote! {
            impl model::Union for #name {
                fn from_scalar(value: model::JsonScalar) -> Option<Self> {
                    match value {
                        #(#arms)*
                    }
                }
            }
        },
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    model::deserialize_union(deserializer, #label)
                }
            }
        },
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #( Self::#idents(value) => ::serde::Serialize::serialize(value, serializer), )*
                    }
                }
            }
        },
        quote! {
            /// The value as a parameter sends it.
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #( Self::#idents(value) => ::std::fmt::Display::fmt(value, f), )*
                    }
                }
            }
        },
    ];
    items.extend(froms);
    items
}
