//! Multipart uploads: the text fields and the files of a form. Files stay in memory as
//! (file name, bytes) and go to the application as they are: nothing a request names
//! reaches the filesystem, and messages name the user's own file name.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::http::StatusCode;
use tuiding_app::text::InputFile;

use crate::error::WebError;

/// The largest request body accepted (every upload of one request together).
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// A form's fields and its files.
pub struct Upload {
    /// Text fields by name (the last value of a repeated name).
    pub fields: HashMap<String, String>,
    /// Files in the order sent: the name the user gave each, and its bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Upload {
    /// The files as the application reads them, each under `name(given name)`.
    pub fn input_files(self, name: impl Fn(&str) -> String) -> Vec<InputFile> {
        self.files
            .into_iter()
            .map(|(given, bytes)| InputFile::Bytes {
                name: name(&given),
                bytes,
            })
            .collect()
    }

    /// A text field, or "".
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Reads a multipart form: parts with a file name are files, the others text fields.
pub async fn read(mut multipart: Multipart) -> Result<Upload, WebError> {
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(bad_upload)?;
                if file_name.is_empty() && bytes.is_empty() {
                    continue; // a file input left empty
                }
                files.push((file_name, bytes.to_vec()));
            }
            None => {
                let text = field.text().await.map_err(bad_upload)?;
                fields.insert(name, text);
            }
        }
    }
    Ok(Upload { fields, files })
}

fn bad_upload(err: axum::extract::multipart::MultipartError) -> WebError {
    let status = err.status();
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "上传内容超过 {} MiB / the upload is larger than {} MiB",
            MAX_UPLOAD_BYTES >> 20,
            MAX_UPLOAD_BYTES >> 20
        )
    } else {
        format!("上传格式不正确 / malformed upload: {}", err.body_text())
    };
    WebError {
        status,
        message,
        field: Some("file".into()),
        problems: vec![],
    }
}
