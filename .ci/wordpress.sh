#!/usr/bin/env bash
# A real WordPress on 127.0.0.1 for tests/wordpress.rs, from Debian's packages.
#
#   .ci/wordpress.sh install   install the packages (apt; needs root)
#   .ci/wordpress.sh start     start MariaDB and PHP's server, install WordPress once, and write
#                              $STATE/env (URL, user, application password) for the tests
#   .ci/wordpress.sh stop      stop both
#
# Everything lives in $STATE (default /tmp/tebiki-wordpress): a private copy of the WordPress
# tree with its own wp-config.php, the database files, logs. Both commands can be run again:
# a running WordPress is left as it is. Without systemd: MariaDB and `php -S` run as plain
# processes, their pids in $STATE.
set -euo pipefail

STATE=${TEBIKI_WP_STATE:-/tmp/tebiki-wordpress}
PORT=${TEBIKI_WP_PORT:-8089}
PACKAGES=(wordpress wordpress-theme-twentytwentyone mariadb-server php-cli php-mysql php-gd php-xml php-mbstring)
URL="http://127.0.0.1:$PORT"

installed() {
  dpkg-query -W -f='${Status}\n' "${PACKAGES[@]}" 2>/dev/null | grep -c "install ok installed" |
    grep -qx "${#PACKAGES[@]}"
}

install() {
  installed && return 0
  # Keep apt from starting apache2 and mariadb as services (there is no systemd here).
  local policy=/usr/sbin/policy-rc.d made=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  [ -n "$made" ] && rm -f "$policy"
  return 0
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_db() {
  mkdir -p "$STATE"
  if [ ! -d "$STATE/mysql/mysql" ]; then
    mariadb-install-db --user=root --datadir="$STATE/mysql" --auth-root-authentication-method=socket \
      >"$STATE/mariadb-install.log" 2>&1
  fi
  if ! alive "$STATE/mariadb.pid"; then
    mariadbd --user=root --datadir="$STATE/mysql" --socket="$STATE/mysql.sock" \
      --pid-file="$STATE/mariadb.pid" --skip-networking --log-error="$STATE/mariadb.log" &
    for _ in $(seq 100); do [ -S "$STATE/mysql.sock" ] && break; sleep 0.1; done
  fi
  mariadb --socket="$STATE/mysql.sock" -e "CREATE DATABASE IF NOT EXISTS wordpress;
    CREATE USER IF NOT EXISTS 'wp'@'localhost' IDENTIFIED BY 'wp';
    GRANT ALL ON wordpress.* TO 'wp'@'localhost';"
}

make_tree() {
  [ -f "$STATE/wp/wp-config.php" ] && return 0
  rm -rf "$STATE/wp"
  # Debian's tree loads /etc/wordpress/config-<host>.php: a private copy has its own config.
  cp -rL /usr/share/wordpress "$STATE/wp"
  rm -rf "$STATE/wp/wp-content"
  cp -rL /usr/share/wordpress/wp-content "$STATE/wp/wp-content" 2>/dev/null || mkdir -p "$STATE/wp/wp-content"
  mkdir -p "$STATE/wp/wp-content/uploads"
  cat >"$STATE/wp/wp-config.php" <<PHP
<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:$STATE/mysql.sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', '$URL');
define('WP_SITEURL', '$URL');
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_CONTENT_DIR', '$STATE/wp/wp-content');
define('FS_METHOD', 'direct');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false);
\$table_prefix = 'wp_';
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';
PHP
}

# php -S serves files as they are and sends everything else to WordPress. Like nginx's
# client_max_body_size, it answers a request body over 10 MB with 413 (PHP's own limits do not
# apply to the raw bodies of REST uploads).
write_router() {
  cat >"$STATE/router.php" <<'PHP'
<?php
if ((int) ($_SERVER['CONTENT_LENGTH'] ?? 0) > 10 * 1024 * 1024) {
  http_response_code(413);
  header('Content-Type: text/html');
  echo "<html><body><h1>413 Request Entity Too Large</h1></body></html>";
  return;
}
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$file = $_SERVER['DOCUMENT_ROOT'] . $path;
if ($path !== '/' && is_file($file) && substr($file, -4) !== '.php') { return false; }
if ($path !== '/' && is_file($file)) { $_SERVER['SCRIPT_NAME'] = $path; require $file; return; }
$_SERVER['SCRIPT_NAME'] = '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
PHP
}

install_wordpress() {
  [ -f "$STATE/env" ] && [ -f "$STATE/author-password" ] && [ -f "$STATE/admin-login" ] && return 0
  (cd "$STATE/wp" && php -d display_errors=stderr -r '
    define("WP_INSTALLING", true);
    $_SERVER["HTTP_HOST"] = "127.0.0.1";
    require "wp-load.php";
    require_once ABSPATH . "wp-admin/includes/upgrade.php";
    if (!is_blog_installed()) {
      wp_install("tebiki test blog", "admin", "admin@example.test", false, "", "admin-password-not-used");
    }
    update_option("permalink_structure", "/%postname%/");
    // A login password for the admin, so that a test can open the block editor as a blogger.
    $login = wp_generate_password(24, false);
    wp_set_password($login, get_user_by("login", "admin")->ID);
    file_put_contents(getenv("STATE") . "/admin-login", $login);
    switch_theme("twentytwentyone");
    $user = get_user_by("login", "admin");
    foreach (WP_Application_Passwords::get_user_application_passwords($user->ID) as $item) {
      WP_Application_Passwords::delete_application_password($user->ID, $item["uuid"]);
    }
    list($password) = WP_Application_Passwords::create_new_application_password($user->ID, array("name" => "tebiki tests"));
    file_put_contents(getenv("STATE") . "/app-password", $password);
    // An Author: may upload and publish, but not post <style> or <script>.
    $author = get_user_by("login", "writer");
    $author_id = $author ? $author->ID : wp_insert_user(array("user_login" => "writer", "user_pass" => wp_generate_password(24), "user_email" => "writer@example.test", "role" => "author"));
    foreach (WP_Application_Passwords::get_user_application_passwords($author_id) as $item) {
      WP_Application_Passwords::delete_application_password($author_id, $item["uuid"]);
    }
    list($password) = WP_Application_Passwords::create_new_application_password($author_id, array("name" => "tebiki tests"));
    file_put_contents(getenv("STATE") . "/author-password", $password);
  ' >"$STATE/install.log" 2>&1) || { cat "$STATE/install.log" >&2; exit 1; }
  {
    echo "TEBIKI_WP_URL=$URL/"
    echo "TEBIKI_WP_USER=admin"
    echo "TEBIKI_WP_PASSWORD_FILE=$STATE/app-password"
    echo "TEBIKI_WP_AUTHOR=writer"
    echo "TEBIKI_WP_AUTHOR_PASSWORD_FILE=$STATE/author-password"
    echo "TEBIKI_WP_LOGIN_PASSWORD_FILE=$STATE/admin-login"
  } >"$STATE/env"
}

start_php() {
  alive "$STATE/php.pid" && return 0
  (cd "$STATE/wp" && PHP_CLI_SERVER_WORKERS=4 exec php -S "127.0.0.1:$PORT" -t "$STATE/wp" \
    -d upload_max_filesize=8M -d post_max_size=10M -d memory_limit=256M \
    "$STATE/router.php" >"$STATE/php.log" 2>&1) &
  echo $! >"$STATE/php.pid"
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$URL/?rest_route=/" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "WordPress did not answer at $URL" >&2
  tail -20 "$STATE/php.log" >&2
  exit 1
}

stop() {
  for pid in "$STATE/php.pid" "$STATE/mariadb.pid"; do
    if alive "$pid"; then kill "$(cat "$pid")" 2>/dev/null || true; fi
    rm -f "$pid"
  done
}

case "${1:-start}" in
  install) install ;;
  start)
    if ! installed; then
      echo "the packages are not installed: ${PACKAGES[*]} (run .ci/wordpress.sh install as root)" >&2
      exit 3
    fi
    export STATE
    start_db
    make_tree
    write_router
    install_wordpress
    start_php
    echo "WordPress at $URL/ ($STATE/env)"
    ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
