//! `models.rs`: one Rust type per named schema.
//!
//! Models are tolerant of what the live service sends: every field is optional except required
//! lists and maps, which read `null` or a missing key as empty; open enums keep values they do
//! not know; undeclared keys are ignored unless the schema allows them, in which case they are
//! kept in `additional_properties`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{doc, inner_doc, paragraphs};
use crate::emit::types::{describe, rust_type};
use crate::ir::{Api, Field, Model, ModelKind, Struct, TypeRef};

pub(crate) fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let models = api.models.iter().map(|m| model(m, runtime));
    let header = inner_doc([format!(
        "Types of the request and response bodies of the {}, one per schema of the spec.",
        api.title
    )]);
    quote! {
        #header
        #(#models)*
    }
}

fn model(m: &Model, runtime: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", m.rust_name);
    let docs = doc(paragraphs([
        m.description.as_deref(),
        Some(&format!("Schema `{}`.", m.name)),
    ]));
    match &m.kind {
        ModelKind::Struct(s) => structure(&name, &docs, s, runtime),
        ModelKind::OpenEnum(values) => open_enum(&name, &docs, values),
        ModelKind::Alias(ty) => {
            let ty = rust_type(ty, &quote!());
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn structure(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    s: &Struct,
    runtime: &TokenStream,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| field(f, runtime));
    let additional = s.additional.as_ref().map(|ty| {
        let ty = rust_type(ty, &quote!());
        // A declared property may already be called `additional_properties`.
        let taken = s
            .fields
            .iter()
            .any(|f| f.rust_name == "additional_properties");
        let name = format_ident!(
            "{}",
            if taken {
                "additional_properties_"
            } else {
                "additional_properties"
            }
        );
        quote! {
            /// Keys the schema does not declare, kept as sent.
            #[serde(flatten)]
            pub #name: ::std::collections::BTreeMap<String, #ty>,
        }
    });
    let allow = s
        .fields
        .iter()
        .any(|f| f.rust_name != crate::names::snake(&f.rust_name))
        .then(|| quote!(#[allow(non_snake_case)]));
    quote! {
        #docs
        #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #allow
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn field(f: &Field, runtime: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", f.rust_name);
    let json = &f.json_name;
    let rename = (f.rust_name != f.json_name).then(|| quote!(rename = #json,));
    let required_collection = f.required && matches!(f.ty, TypeRef::Array(_) | TypeRef::Map(_));
    let mut inner = rust_type(&f.ty, &quote!());
    if f.boxed {
        inner = quote!(Box<#inner>);
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
    if required_collection {
        let helper = quote!(#runtime::serde_helpers::null_as_default)
            .to_string()
            .replace(' ', "");
        quote! {
            #docs
            #[serde(#rename default, deserialize_with = #helper)]
            pub #name: #inner,
        }
    } else {
        quote! {
            #docs
            #[serde(#rename default, skip_serializing_if = "Option::is_none")]
            pub #name: Option<#inner>,
        }
    }
}

fn open_enum(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    values: &[crate::ir::EnumValue],
) -> TokenStream {
    let variants: Vec<_> = values
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let jsons: Vec<_> = values.iter().map(|v| v.json.as_str()).collect();
    let variant_docs = jsons.iter().map(|j| doc([format!("`{j}`")]));
    quote! {
        #docs
        ///
        /// Values the spec does not list are kept in `Unknown`, so a newer service never breaks decoding.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value the spec does not list, kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #jsons, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #jsons => Self::#variants, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                match value {
                    #name::Unknown(value) => value,
                    known => known.as_str().to_string(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
