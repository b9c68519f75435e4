//! Which hosts the preview answers: a defence against DNS rebinding, where a web page the author
//! visits points its own name at 127.0.0.1 and reads the unpublished drafts.
//!
//! A request is answered when its `Host` is `localhost` (or a name below `.localhost`), a
//! loopback address, the address serve is bound to (any address of the machine when bound to
//! `0.0.0.0` or `::`), or a name the author allowed with `--allow-host`. The live-reload
//! WebSocket checks the `Origin` of the page the same way. Ports are not compared: a forwarded
//! port (`ssh -L 8080:localhost:1111`) still works, and rebinding is about names.

use std::net::IpAddr;

/// The hosts a running preview answers.
#[derive(Clone, Debug)]
pub(crate) struct AllowedHosts {
    bound: IpAddr,
    /// Names given with `--allow-host`, lower-cased.
    names: Vec<String>,
}

impl AllowedHosts {
    pub(crate) fn new(bound: IpAddr, names: &[String]) -> Self {
        Self {
            bound,
            names: names
                .iter()
                .map(|n| n.trim().to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether a `Host` header value (`name`, `name:port`, `1.2.3.4:80`, `[::1]:80`) may be
    /// answered.
    pub(crate) fn allows_host(&self, host: &str) -> bool {
        let Some(name) = strip_port(host.trim()) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            return ip.is_loopback() || ip == self.bound || self.bound.is_unspecified();
        }
        self.names.contains(&name)
    }

    /// Whether an `Origin` header value (`http://host:port`) names an allowed host.
    pub(crate) fn allows_origin(&self, origin: &str) -> bool {
        let Some(rest) = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
        else {
            return false;
        };
        !rest.contains(['/', '?', '#', '@']) && self.allows_host(rest)
    }
}

/// `host` without its `:port`; `None` when it is malformed (empty, a port that is no number,
/// characters no host name has).
fn strip_port(host: &str) -> Option<&str> {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let end = rest.find(']')?;
        let after = &rest[end + 1..];
        (&host[..end + 2], after.strip_prefix(':'))
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if !name.contains(':') => (name, Some(port)),
            Some(_) => return None,
            None => (host, None),
        }
    };
    if let Some(port) = port {
        port.parse::<u16>().ok()?;
    }
    let valid = !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'[' | b']' | b':')
        });
    valid.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> AllowedHosts {
        AllowedHosts::new("127.0.0.1".parse().unwrap(), &["Preview.Example".into()])
    }

    #[test]
    fn local_names_and_addresses_are_answered() {
        let hosts = loopback();
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "app.localhost:3000",
            "[::1]:1111",
            "127.0.0.2",
            "preview.example:8080",
        ] {
            assert!(hosts.allows_host(host), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused() {
        let hosts = loopback();
        for host in [
            "evil.test",
            "evil.test:1111",
            "localhost.evil.test",
            "192.168.1.5:1111",
            "",
            "127.0.0.1:99999",
            "a b",
            "127.0.0.1:1111/x",
        ] {
            assert!(!hosts.allows_host(host), "{host}");
        }
    }

    #[test]
    fn any_address_of_the_machine_when_bound_to_all() {
        let hosts = AllowedHosts::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(hosts.allows_host("192.168.1.5:1111"));
        assert!(
            !hosts.allows_host("evil.test"),
            "names still need --allow-host"
        );
    }

    #[test]
    fn origins_are_checked_like_hosts() {
        let hosts = loopback();
        assert!(hosts.allows_origin("http://127.0.0.1:1111"));
        assert!(hosts.allows_origin("http://localhost:1111"));
        assert!(!hosts.allows_origin("http://evil.test"));
        assert!(!hosts.allows_origin("null"));
        assert!(!hosts.allows_origin("http://127.0.0.1@evil.test"));
        assert!(!hosts.allows_origin("file://"));
    }
}
