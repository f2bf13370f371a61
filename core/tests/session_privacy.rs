//! `testops.uploadAttachments: false` is a privacy switch (SPEC §4): no attachment of any kind
//! is read for upload or sent; the results go without them, and one start-up line says so.

mod session_support;

use serde_json::Value;
use session_support::*;
use testrelay::session::Action;
use testrelay::*;

const T0: u64 = 1_795_320_406_000;

fn with_attachments(title: &str) -> TestResult {
    let mut result = passed(title);
    result.attachments.push(Attachment {
        name: "screenshot.png".into(),
        path: Some("/tmp/screenshot.png".into()),
        content_type: Some("image/png".into()),
        ..Attachment::default()
    });
    result.steps.push(Step {
        title: "open".into(),
        attachments: vec![Attachment {
            name: "trace.zip".into(),
            content: Some("aGk=".into()),
            ..Attachment::default()
        }],
        ..Step::default()
    });
    result
}

#[test]
fn with_uploads_off_no_attachment_leaves_and_the_results_still_go() {
    let mut config = testops_config();
    config.testops.upload_attachments = false;
    let mut s = Session::new(config, options(), T0).unwrap();
    let start = render_all(&drain(&mut s, T0));
    assert_eq!(
        start[0],
        "log info: attachments stay local: testops.uploadAttachments is false, so none is read or sent"
    );
    s.handle_http_response(
        T0,
        1,
        200,
        r#"{"status":true,"result":{"id":7}}"#.into(),
        None,
    )
    .unwrap();
    s.add_results(T0, vec![with_attachments("a"), with_attachments("b")])
        .unwrap();
    let sent = drain(&mut s, T0);
    assert!(
        !sent.iter().any(|a| matches!(a, Action::Multipart(_))),
        "{:?}",
        render_all(&sent)
    );
    let upload = sent
        .iter()
        .find_map(|a| match a {
            Action::Http(r) if r.purpose == "upload_results" => Some(r),
            _ => None,
        })
        .expect("the results are uploaded");
    let body: Value = serde_json::from_str(&upload.body).unwrap();
    for result in body["results"].as_array().unwrap() {
        assert!(
            result
                .get("attachments")
                .is_none_or(|a| a.as_array().is_some_and(|a| a.is_empty())),
            "{result}"
        );
    }
    assert!(!upload.body.contains("screenshot") && !upload.body.contains("aGk="));
}

#[test]
fn with_uploads_on_the_same_results_upload_their_attachments_first() {
    let mut s = Session::new(testops_config(), options(), T0).unwrap();
    drain(&mut s, T0);
    s.handle_http_response(
        T0,
        1,
        200,
        r#"{"status":true,"result":{"id":7}}"#.into(),
        None,
    )
    .unwrap();
    s.add_results(T0, vec![with_attachments("a")]).unwrap();
    let sent = drain(&mut s, T0);
    assert!(
        sent.iter().any(|a| matches!(a, Action::Multipart(_))),
        "{:?}",
        render_all(&sent)
    );
}
