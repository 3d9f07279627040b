//! The machine's time zone, by name where it has one (`TZ`, else the `/etc/localtime` link), so
//! times show with their zone's abbreviation (`CET`); else whatever the system says.

use crate::domain::when::Zone;

pub fn local_zone() -> Zone {
    let tz = std::env::var("TZ").ok();
    let link = || std::fs::read_link("/etc/localtime").ok().and_then(|p| p.to_str().map(String::from));
    let name = tz.or_else(link).map(|n| {
        let n = n.trim_start_matches(':');
        n.split_once("zoneinfo/").map_or(n, |(_, name)| name).to_string()
    });
    name.and_then(|n| n.parse::<chrono_tz::Tz>().ok()).map_or(Zone::Local, Zone::Named)
}
