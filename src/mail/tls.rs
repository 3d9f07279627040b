//! Which certificate authorities the desk's TLS trusts, for IMAP and SMTP alike: the built-in
//! (webpki) roots, the system's certificate store, and the CAs of a config's `ca_file` (a company CA).

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use std::sync::{Arc, OnceLock};

/// The platform's trusted CA certificates, read once; none when the store cannot be read.
pub fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        if !found.errors.is_empty() {
            tracing::warn!("some of the system's CA certificates could not be read: {:?}", found.errors);
        }
        found.certs
    })
}

/// The certificates of the PEM file `path`; `field` names the setting in the error, which is one
/// sentence (`cannot read mail.outbound.smtp.ca_file /etc/ca.pem: …`).
pub fn ca_file(path: &str, field: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = std::fs::read(path).map_err(|e| format!("cannot read {field} {path}: {e}"))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{field} {path} holds a PEM certificate that cannot be read: {e}"))?;
    if certificates.is_empty() {
        return Err(format!("{field} {path} holds no PEM certificates"));
    }
    Ok(certificates)
}

/// A rustls client that trusts the built-in roots, the system's and those of `ca_file`.
pub fn client_config(ca_file: Option<(&str, &str)>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    // A system certificate rustls cannot use is skipped, as every other TLS client does.
    roots.add_parsable_certificates(system_roots().iter().cloned());
    if let Some((path, field)) = ca_file {
        for certificate in self::ca_file(path, field)? {
            roots.add(certificate).map_err(|e| format!("{field} {path}: a certificate is not usable as a CA: {e}"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_that_is_missing_or_holds_no_certificate_is_one_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem").display().to_string();
        let error = ca_file(&missing, "mail.inbound \"support\" ca_file").unwrap_err();
        assert!(error.starts_with("cannot read mail.inbound \"support\" ca_file ") && !error.contains('\n'), "{error}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let error = ca_file(&empty.display().to_string(), "ca_file").unwrap_err();
        assert!(error.ends_with("holds no PEM certificates"), "{error}");
        assert!(client_config(Some((&missing, "ca_file"))).is_err());
    }

    #[test]
    fn a_company_ca_is_trusted_beside_the_built_in_roots() {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = params.self_signed(&KeyPair::generate().unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, ca.pem()).unwrap();
        let path = path.display().to_string();
        assert_eq!(ca_file(&path, "ca_file").unwrap().len(), 1);
        assert!(client_config(Some((&path, "ca_file"))).is_ok());
        assert!(client_config(None).is_ok());
    }
}
