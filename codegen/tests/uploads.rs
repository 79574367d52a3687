//! Form bodies and files in the intermediate form: Swagger 2.0 `formData` (converted to
//! OpenAPI 3 first) and OpenAPI 3 form bodies give form parameters with the operation's
//! encoding, and files become file parameters. (The OpenAPI 3 construct spec is
//! `specs/uploads.yaml`; its generated client is sent over the wire in
//! `codegen-fixtures/tests/uploads.rs`.)

use codegen::Patches;
use codegen::ir::{Api, ArrayStyle, FormEncoding, Kind, Location, Operation, Scalar};

fn read(text: &str) -> (Api, Vec<String>) {
    let (api, warnings) = codegen::read_api(text, &Patches::default()).unwrap();
    (api, warnings.iter().map(|w| w.to_string()).collect())
}

fn op<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations.iter().find(|o| o.id == id).unwrap()
}

fn param_type(op: &Operation, name: &str) -> (Location, Kind, bool) {
    let p = op.params.iter().find(|p| p.name == name).unwrap();
    (p.location, p.kind, p.required)
}

const SWAGGER: &str = r#"
swagger: '2.0'
info: {title: Swagger uploads, version: '1'}
consumes: [application/json]
produces: [application/json]
paths:
  /samples/entities/samples/v2:
    post:
      operationId: UploadSampleV2
      consumes: [multipart/form-data]
      parameters:
        - {name: sample, in: formData, type: file, required: true, description: The file.}
        - {name: file_name, in: formData, type: string, required: true}
        - {name: is_confidential, in: formData, type: boolean}
        - {name: tags, in: formData, type: array, items: {type: string}, collectionFormat: multi}
      responses:
        '200': {description: ok}
  /notes/v1:
    post:
      operationId: CreateNote
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: title, in: formData, type: string, required: true}
        - {name: ids, in: formData, type: array, items: {type: string}}
      responses:
        '200': {description: ok}
"#;

#[test]
fn swagger_form_data_with_a_file_is_a_multipart_form() {
    let (api, warnings) = read(SWAGGER);
    assert!(warnings.is_empty(), "{warnings:#?}");

    let upload = op(&api, "UploadSampleV2");
    assert_eq!(upload.form_encoding(), Some(FormEncoding::Multipart));
    assert!(upload.body.is_none());
    assert_eq!(
        param_type(upload, "sample"),
        (Location::Multipart, Kind::File, true)
    );
    assert_eq!(
        param_type(upload, "file_name"),
        (Location::Multipart, Kind::Scalar(Scalar::String), true)
    );
    assert_eq!(
        param_type(upload, "is_confidential").1,
        Kind::Scalar(Scalar::Boolean)
    );
    assert_eq!(
        param_type(upload, "tags").1,
        Kind::Array(Scalar::String, ArrayStyle::Multi)
    );
    let sample = upload.params.iter().find(|p| p.name == "sample").unwrap();
    assert_eq!(sample.rust_name, "sample");
    assert_eq!(sample.description.as_deref(), Some("The file."));

    let note = op(&api, "CreateNote");
    assert_eq!(note.form_encoding(), Some(FormEncoding::UrlEncoded));
    assert_eq!(
        param_type(note, "ids").1,
        Kind::Array(Scalar::String, ArrayStyle::Csv)
    );
}

#[test]
fn swagger_file_setter_and_table_row_are_generated() {
    let generated = codegen::generate(SWAGGER, &codegen::EmitOptions::default()).unwrap();
    let file = |name: &str| {
        generated
            .files
            .iter()
            .find(|f| f.path == name)
            .unwrap()
            .contents
            .clone()
    };
    let table = file("table.rs");
    assert!(
        table.contains(r#"op::multipart("sample", op::FILE).required()"#),
        "{table}"
    );
    assert!(
        table.contains(r#"op::form("ids", op::csv(op::Scalar::String))"#),
        "{table}"
    );
    let ops = file("operations.rs");
    assert!(
        ops.contains("pub fn sample(mut self, file: ::falcon_runtime::FileUpload) -> Self"),
        "{ops}"
    );
}

#[test]
fn a_body_offering_both_form_encodings_is_sent_multipart() {
    let (api, warnings) = read(
        r#"
openapi: 3.0.3
info: {title: Both, version: '1'}
paths:
  /x:
    post:
      operationId: Both
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {a: {type: string}}}
          multipart/form-data:
            schema: {type: object, properties: {a: {type: string}, f: {type: string, format: binary}}}
      responses: {'200': {description: ok}}
"#,
    );
    assert!(warnings.is_empty(), "{warnings:#?}");
    let both = op(&api, "Both");
    assert_eq!(both.form_encoding(), Some(FormEncoding::Multipart));
    assert_eq!(param_type(both, "f").1, Kind::File);
}

#[test]
fn operations_without_a_form_have_no_form_encoding() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ioc.yaml"),
    )
    .unwrap();
    let (api, _) = read(&text);
    assert!(api.operations.iter().all(|o| o.form_encoding().is_none()));
}
