//! The little of URLs the session needs: is a configured API host usable, which origin a URL
//! belongs to (a redirect is followed only within it), where a `Location` points, and a
//! path segment percent-encoded. Written here rather than taken from the `url` crate, whose
//! IDNA tables would more than double the preview page's module for these four questions.

/// True when `host` is a host name (`qase.io`, `qase.example.com:8443`) or a full
/// `http(s)://` base whose authority parses (`http://[::1]:8080/api`).
pub fn valid_api_host(host: &str) -> bool {
    if host.starts_with("http://") || host.starts_with("https://") {
        origin(host).is_some()
    } else {
        valid_authority(host)
    }
}

/// `scheme://host:port` of an absolute `http(s)` URL, lowercased, with the scheme's default
/// port made explicit, or `None` when it does not parse.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !valid_authority(authority) {
        return None;
    }
    let (host, port) = split_port(authority);
    Some(format!(
        "{scheme}://{}:{}",
        host.to_ascii_lowercase(),
        port.unwrap_or(default_port)
    ))
}

/// The absolute URL a `Location` header names, read against the URL that answered it:
/// an absolute URL as is, `//host/…` with the request's scheme, `/path` on the request's
/// origin. Relative paths without a leading `/` are not sent by the APIs spoken here and
/// give `None`.
pub fn resolve_location(request_url: &str, location: &str) -> Option<String> {
    let location = location.trim();
    if location.contains("://") {
        return origin(location).map(|_| location.to_owned());
    }
    let (scheme, rest) = request_url.split_once("://")?;
    if let Some(authority_and_path) = location.strip_prefix("//") {
        let url = format!("{scheme}://{authority_and_path}");
        return origin(&url).map(|_| url);
    }
    if location.starts_with('/') {
        let authority = rest.split(['/', '?', '#']).next()?;
        return Some(format!("{scheme}://{authority}{location}"));
    }
    None
}

/// `text` as one URL path segment: every byte but letters, digits, `-`, `_` and `~`
/// percent-encoded (`.` too, so `..` cannot climb), so a value can never add or remove a
/// segment, a query or a fragment.
pub fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `host[:port]` with a host name of letters, digits, `-` and `.`, or a bracketed IPv6
/// address, and a port of 1 to 65535.
fn valid_authority(authority: &str) -> bool {
    if authority.contains('@') {
        return false; // credentials in a base URL would be sent with every request
    }
    let (host, port) = split_port(authority);
    let host_ok = match host.strip_prefix('[') {
        Some(v6) => v6.strip_suffix(']').is_some_and(|a| {
            !a.is_empty()
                && a.bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        }),
        None => {
            !host.is_empty()
                && host.len() <= 253
                && host.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        }
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    host_ok && port_ok
}

/// `(host, port)` of an authority; the port is what follows the last `:` outside brackets.
fn split_port(authority: &str) -> (&str, Option<&str>) {
    let colon = match authority.rfind(']') {
        Some(end) => authority[end..].find(':').map(|i| end + i),
        None => authority.rfind(':'),
    };
    match colon {
        Some(i) => (&authority[..i], Some(&authority[i + 1..])),
        None => (authority, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_hosts() {
        for good in [
            "qase.io",
            "qase.example.com",
            "localhost:8080",
            "http://127.0.0.1:4000",
            "https://api.qase.io/",
            "http://[::1]:8080/base",
        ] {
            assert!(valid_api_host(good), "{good}");
        }
        for bad in [
            "",
            "http://[::1",
            "http://",
            "http://user:pw@host",
            "qase io",
            "host:99999",
            "host:0",
            "ftp://host",
            "a..b",
            "http://host:port",
            "HTTP://upper.case.scheme",
        ] {
            assert!(!valid_api_host(bad), "{bad}");
        }
    }

    #[test]
    fn origins_make_the_port_explicit() {
        assert_eq!(
            origin("https://API.qase.io/v1/run").as_deref(),
            Some("https://api.qase.io:443")
        );
        assert_eq!(
            origin("http://127.0.0.1:9/x?y").as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(origin("http://[::1]/").as_deref(), Some("http://[::1]:80"));
        assert_eq!(origin("http://a:80/"), origin("http://A/"));
        assert_eq!(origin("mailto:x"), None);
    }

    #[test]
    fn locations() {
        let base = "http://127.0.0.1:9/v1/run/DEMO";
        assert_eq!(
            resolve_location(base, "/v1/run/DEMO/2").as_deref(),
            Some("http://127.0.0.1:9/v1/run/DEMO/2")
        );
        assert_eq!(
            resolve_location(base, "https://evil.example/x").as_deref(),
            Some("https://evil.example/x")
        );
        assert_eq!(
            resolve_location(base, "//evil.example/x").as_deref(),
            Some("http://evil.example/x")
        );
        assert_eq!(resolve_location(base, "relative"), None);
        assert_eq!(resolve_location(base, "http://[::1"), None);
    }

    #[test]
    fn segments_cannot_escape() {
        assert_eq!(encode_segment("DEMO"), "DEMO");
        assert_eq!(
            encode_segment("../../v1/run/X/1000/complete?"),
            "%2E%2E%2F%2E%2E%2Fv1%2Frun%2FX%2F1000%2Fcomplete%3F"
        );
        assert_eq!(encode_segment("a b#é"), "a%20b%23%C3%A9");
    }
}
