//! Files an agent attaches to a reply: read whole, typed by their extension, within a size limit.

use crate::domain::mail::MailAttachment;
use std::path::Path;

/// All of one reply's files together may not be larger than this (most relays refuse more).
pub const MAX_ATTACHED_BYTES: u64 = 25 * 1024 * 1024;

/// Read each file, or say in one sentence which one cannot be attached and why.
pub fn read_attachments(paths: &[impl AsRef<Path>]) -> Result<Vec<MailAttachment>, String> {
    let mut files = Vec::new();
    let mut total = 0u64;
    for path in paths.iter().map(AsRef::as_ref) {
        let shown = path.display().to_string();
        let shown = crate::domain::text::for_display_line(&shown);
        let data = std::fs::read(path).map_err(|e| format!("cannot attach {shown}: {e}"))?;
        total += data.len() as u64;
        if total > MAX_ATTACHED_BYTES {
            return Err(format!(
                "cannot attach {shown}: a reply's files may add up to {} MB at most",
                MAX_ATTACHED_BYTES / (1024 * 1024)
            ));
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "attachment".into());
        files.push(MailAttachment {
            content_type: content_type_of(&name).into(),
            name,
            inline: false,
            content_id: None,
            data,
        });
    }
    Ok(files)
}

/// The MIME type for a file name's extension; `application/octet-stream` when it is not known.
pub fn content_type_of(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "json" => "application/json",
        "xml" => "application/xml",
        "eml" => "message/rfc822",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_extension() {
        assert_eq!(content_type_of("Rechnung März.PDF"), "application/pdf");
        assert_eq!(content_type_of("photo.jpeg"), "image/jpeg");
        assert_eq!(content_type_of("README"), "application/octet-stream");
    }

    #[test]
    fn a_missing_file_is_named() {
        let err = read_attachments(&["/nonexistent/invoice.pdf"]).unwrap_err();
        assert!(err.starts_with("cannot attach /nonexistent/invoice.pdf: "), "{err}");
    }
}
