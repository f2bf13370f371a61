//! The configuration and attachment routes over real HTTP: list, create a group and a value
//! (official `qase-api-client` paths and bodies), their validation, the control seeding, and
//! an attachment request without a multipart `file` part.

mod common;

use common::Server;
use serde_json::json;

#[test]
fn groups_and_values_are_created_and_listed() {
    let server = Server::start();
    let empty = server.api("GET", "/v1/configuration/DEMO", None);
    assert_eq!(empty.status, 200);
    assert_eq!(empty.body["result"]["entities"], json!([]));
    let group = server.api(
        "POST",
        "/v1/configuration/DEMO/group",
        Some(json!({"title": "Browser"})),
    );
    assert_eq!(group.status, 200);
    let group_id = group.body["result"]["id"].as_u64().unwrap();
    let value = server.api(
        "POST",
        "/v1/configuration/DEMO",
        Some(json!({"title": "Chrome", "group_id": group_id})),
    );
    assert_eq!(value.status, 200);
    let value_id = value.body["result"]["id"].as_u64().unwrap();
    let seeded = server.control(
        "POST",
        "configurations",
        Some(json!({"project": "DEMO", "groups": {"OS": ["Linux"]}})),
    );
    let os = &seeded.body["groups"]["OS"];
    let listed = server.api("GET", "/v1/configuration/DEMO", None);
    assert_eq!(
        listed.body["result"],
        json!({"total": 2, "filtered": 2, "count": 2, "entities": [
            {"id": group_id, "title": "Browser", "configurations": [{"id": value_id, "title": "Chrome"}]},
            {"id": os["id"], "title": "OS", "configurations": [{"id": os["values"]["Linux"], "title": "Linux"}]},
        ]})
    );
    // Other projects do not see them.
    let other = server.api("GET", "/v1/configuration/OTHER", None);
    assert_eq!(other.body["result"]["entities"], json!([]));
}

#[test]
fn bad_configuration_bodies_are_400_and_change_nothing() {
    let server = Server::start();
    for (path, body) in [
        ("/v1/configuration/DEMO/group", json!({})),
        ("/v1/configuration/DEMO/group", json!({"title": ""})),
        ("/v1/configuration/DEMO", json!({"title": "Chrome"})),
        (
            "/v1/configuration/DEMO",
            json!({"title": "Chrome", "group_id": 999}),
        ),
    ] {
        let answer = server.api("POST", path, Some(body.clone()));
        assert_eq!(answer.status, 400, "{path} {body}");
        assert_eq!(answer.body["status"], false);
    }
    assert_eq!(server.state()["configurations"], json!({}));
}

#[test]
fn an_attachment_request_without_a_file_part_is_400() {
    let server = Server::start();
    let answer = server.post_raw("/v1/attachment/DEMO", "{}");
    assert_eq!(answer.status, 400);
    assert_eq!(server.state()["attachments"], json!([]));
}
