//! Who publishes where: the blog's address and user (flags or site.yaml), checked to travel
//! over HTTPS, and the application password (the environment, or a credentials file outside
//! the site that only its owner may read). The password is handed to the client only.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::{PASSWORD_VARIABLE, PublishOptions};
use crate::i18n::{Message, msg, with_help};
use crate::site::Site;

/// Where to publish: the blog's address and the user.
pub(super) struct Target {
    pub url: String,
    pub user: String,
}

/// The blog's address and user from the flags or site.yaml, checked.
pub(super) fn target(site: &Site, options: &PublishOptions) -> Result<Target> {
    let configured = site.config().publish.wordpress.as_ref();
    let url = options
        .url
        .clone()
        .or_else(|| configured.map(|c| c.url.clone()));
    let user = options
        .user
        .clone()
        .or_else(|| configured.map(|c| c.user.clone()));
    let (Some(url), Some(user)) = (url, user) else {
        return Err(refused(
            msg!("publish-no-blog"),
            msg!("publish-no-blog-hint"),
        ));
    };
    let url = if url.ends_with('/') {
        url
    } else {
        format!("{url}/")
    };
    check_address(&url)?;
    Ok(Target { url, user })
}

/// HTTPS, except on this machine (loopback), where a test blog runs over HTTP.
fn check_address(url: &str) -> Result<()> {
    let parsed = crate::config::web_url(url).ok();
    let scheme = parsed.as_ref().map_or("", url::Url::scheme);
    let loopback = parsed
        .as_ref()
        .and_then(url::Url::host)
        .is_some_and(|host| match host {
            url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        });
    match scheme {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(refused(
            msg!("publish-plain-http", url = url),
            msg!("publish-plain-http-hint"),
        )),
        _ => Err(refused(
            msg!("publish-bad-url", url = url),
            msg!("publish-bad-url-hint"),
        )),
    }
}

/// The application password: `TEBIKI_WP_APP_PASSWORD`, else the credentials file (outside the
/// site), whose lines are `<blog address> <password>`.
pub(super) fn password(root: &Path, url: &str) -> Result<String> {
    if let Ok(password) = std::env::var(PASSWORD_VARIABLE)
        && !password.trim().is_empty()
    {
        return Ok(password.trim().to_owned());
    }
    let file = credentials_file();
    let missing = || {
        let file = file.as_ref().map_or_else(
            || "~/.config/tebiki/credentials".to_owned(),
            |f| f.display().to_string(),
        );
        refused(
            msg!("publish-no-password", url = url),
            msg!(
                "publish-no-password-hint",
                variable = PASSWORD_VARIABLE,
                url = url,
                file = file
            ),
        )
    };
    let Some(file) = file.clone() else {
        return Err(missing());
    };
    match crate::fs::metadata(&file) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
        _ => {}
    }
    let real = crate::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
    if real.starts_with(root) {
        return Err(refused(
            msg!("publish-password-in-site", path = &file),
            msg!("publish-password-in-site-hint"),
        ));
    }
    refuse_open_credentials(&file)?;
    let text = crate::fs::read_to_string(&file)?;
    text.lines()
        .filter_map(|line| line.trim().split_once(char::is_whitespace))
        .find(|(blog, _)| blog.trim_end_matches('/') == url.trim_end_matches('/'))
        .map(|(_, password)| password.trim().to_owned())
        .ok_or_else(missing)
}

/// Refuses a credentials file that others may read (as ssh refuses such a key file): its
/// passwords would be anyone's on the machine.
#[cfg(unix)]
fn refuse_open_credentials(file: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = crate::fs::metadata(file)
        .with_context(|| msg!("io-read", path = file))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(refused(
            msg!(
                "publish-password-open",
                path = file,
                mode = format!("{:o}", mode & 0o777)
            ),
            msg!("publish-password-open-hint", path = file),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_open_credentials(_: &Path) -> Result<()> {
    Ok(())
}

/// `$XDG_CONFIG_HOME/tebiki/credentials`, else `~/.config/tebiki/credentials`.
fn credentials_file() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("tebiki").join("credentials"))
}

/// A refusal and what to do about it, as one error.
fn refused(message: Message, hint: Message) -> anyhow::Error {
    anyhow::Error::new(with_help(message, hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_goes_only_over_https_or_to_this_machine() {
        for ok in [
            "https://blog.example/",
            "http://127.0.0.1:8089/",
            "http://localhost/",
            "http://[::1]:80/",
        ] {
            assert!(check_address(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://blog.example/",
            "http://127.0.0.1.evil.example/",
            "ftp://blog.example/",
            "blog.example",
        ] {
            assert!(check_address(refused).is_err(), "{refused}");
        }
    }
}
