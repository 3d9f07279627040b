use crate::support::postgres::{Postgres, NEEDS, PASSWORD};
use frontdesk::store::postgres::{Credentials, PostgresDesk};
use frontdesk::store::url::{DatabaseLocation, PostgresTarget};

fn target(url: &str) -> PostgresTarget {
    match DatabaseLocation::parse(url).unwrap() {
        DatabaseLocation::Postgres(t) => t,
        other => panic!("{other:?}"),
    }
}

fn with_password() -> Credentials {
    Credentials { password_command: Some(format!("printf '{PASSWORD}\\n'")) }
}

fn open_error(url: &str, credentials: &Credentials) -> String {
    match PostgresDesk::open(&target(url), credentials) {
        Ok(_) => panic!("{url} opened"),
        Err(e) => e.to_string(),
    }
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn over_the_socket_and_over_loopback_with_the_password_from_a_command() {
    let _ = NEEDS;
    let pg = Postgres::start();
    pg.create_database("desk");
    let mut desk = PostgresDesk::open(&target(&pg.socket_url("desk")), &Credentials::default()).unwrap();
    assert_eq!(desk.schema_version().unwrap(), frontdesk::store::postgres::SCHEMA_VERSION);
    let mut desk = PostgresDesk::open(&target(&pg.tcp_url("desk", "disable")), &with_password()).unwrap();
    let user: String = desk.client().query_one("SELECT current_user::text", &[]).unwrap().get(0);
    assert_eq!(user, "desk");

    let wrong = Credentials { password_command: Some("echo wrong".into()) };
    let e = open_error(&pg.tcp_url("desk", "disable"), &wrong);
    assert!(e.starts_with("cannot connect to PostgreSQL at postgres://desk@127.0.0.1:"), "{e}");
    assert!(e.contains("password authentication failed"), "{e}");
    assert!(!e.contains('\n'), "one sentence: {e}");
    let e = open_error(&pg.socket_url("no_such_desk"), &Credentials::default());
    assert!(e.contains("database \"no_such_desk\" does not exist"), "{e}");
}

/// A CA made for the test, a server certificate for `localhost` it signed, and another CA.
fn certificates() -> (String, String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca = |name: &str| {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        (cert, key)
    };
    let (ca_cert, ca_key) = ca("frontdesk PostgreSQL test CA");
    let (other, _) = ca("someone else");
    let key = KeyPair::generate().unwrap();
    let cert =
        CertificateParams::new(vec!["localhost".to_string()]).unwrap().signed_by(&key, &ca_cert, &ca_key).unwrap();
    (ca_cert.pem(), other.pem(), cert.pem(), key.serialize_pem())
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn sslmode_means_what_it_means_to_libpq() {
    let (ca, other, cert, key) = certificates();
    let pg = Postgres::start_with_tls(&cert, &key);
    pg.create_database("desk");
    std::fs::write(pg.path("ca.pem"), ca).unwrap();
    std::fs::write(pg.path("other.pem"), other).unwrap();
    let url = |host: &str, mode: &str, root: Option<&str>| {
        let root = root.map(|r| format!("&sslrootcert={}", pg.path(r).display())).unwrap_or_default();
        format!("postgres://desk@{host}:{}/desk?sslmode={mode}{root}", pg.port)
    };
    let encrypted = |url: &str| {
        let mut desk = PostgresDesk::open(&target(url), &with_password()).unwrap_or_else(|e| panic!("{url}: {e}"));
        desk.client()
            .query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
            .unwrap()
            .get::<_, bool>(0)
    };
    assert!(encrypted(&url("localhost", "verify-full", Some("ca.pem"))));
    assert!(encrypted(&url("127.0.0.1", "verify-ca", Some("ca.pem"))), "verify-ca does not check the name");
    assert!(encrypted(&url("127.0.0.1", "require", None)), "require does not check the certificate");
    assert!(encrypted(&url("127.0.0.1", "prefer", None)));
    assert!(!encrypted(&url("127.0.0.1", "disable", None)));

    let e = open_error(&url("127.0.0.1", "verify-full", Some("ca.pem")), &with_password());
    assert!(e.starts_with("cannot connect to PostgreSQL at ") && e.contains("certificate"), "{e}");
    let e = open_error(&url("localhost", "verify-ca", Some("other.pem")), &with_password());
    assert!(e.contains("certificate"), "an unknown authority is refused: {e}");
    let e = open_error(&url("localhost", "require", Some("other.pem")), &with_password());
    assert!(e.contains("certificate"), "require with a root file checks it, as libpq does: {e}");
}

#[test]
#[ignore = "needs PostgreSQL: initdb and pg_ctl (apt-get install postgresql; see .ci/run)"]
fn require_refuses_a_server_without_tls() {
    let pg = Postgres::start();
    pg.create_database("desk");
    let e = open_error(&pg.tcp_url("desk", "require"), &with_password());
    assert!(e.contains("TLS"), "{e}");
    // Over the socket there is no TLS to ask for, as in libpq.
    let socket = format!("{}&sslmode=require", pg.socket_url("desk"));
    PostgresDesk::open(&target(&socket), &Credentials::default()).unwrap();
}
