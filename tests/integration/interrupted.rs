//! Interrupted and failed writes (docs/limits.md, "Writing files").
//!
//! The guarantee tested here: the destination of `saq pack -o` and `saq migrate`
//! (in place or `-o`) always holds either its previous bytes or the complete new
//! output, whenever the process dies; a command that fails writes nothing. A process
//! killed by a signal cannot remove its temporary file, so a hidden `.saq-*.tmp` may
//! remain beside the destination; it never has the destination's name.
//!
//! Processes are killed at fixed delays and, to hit the write itself, the moment
//! their temporary file appears.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::root;

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("saq")
}

/// `.saq-*.tmp` files in `dir`.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with(".saq-") && name.ends_with(".tmp")
        })
        .collect()
}

/// Everything in `dir` but the named files.
fn others(dir: &Path, expected: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .filter(|n| !expected.contains(&n.as_str()))
        .collect();
    found.sort();
    found
}

#[derive(Debug, Clone, Copy)]
enum Kill {
    /// SIGKILL this long after the start.
    After(Duration),
    /// SIGKILL as soon as a temporary file shows in the destination's folder.
    AtWrite,
    /// This signal (by number) as soon as a temporary file shows.
    SignalAtWrite(i32),
}

/// What happened to one run.
#[derive(Debug, PartialEq, Eq)]
enum Ended {
    /// Killed before it finished.
    Killed,
    /// Finished on its own before the kill.
    Finished,
}

fn spawn(args: &[&std::ffi::OsStr]) -> Child {
    Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("saq starts")
}

fn signal(child: &Child, signal: i32) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Runs saq with `args`, interrupting it as `kill` says; `watch` is the folder its
/// temporary file appears in.
fn interrupt(args: &[&std::ffi::OsStr], kill: Kill, watch: &Path) -> Ended {
    let mut child = spawn(args);
    let start = Instant::now();
    let ended = loop {
        if child.try_wait().expect("waitable").is_some() {
            break Ended::Finished;
        }
        let due = match kill {
            Kill::After(delay) => start.elapsed() >= delay,
            Kill::AtWrite | Kill::SignalAtWrite(_) => !temp_files(watch).is_empty(),
        };
        if due {
            match kill {
                Kill::SignalAtWrite(number) => signal(&child, number),
                _ => child.kill().expect("SIGKILL"),
            }
            break Ended::Killed;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "saq neither finished nor wrote"
        );
        if let Kill::After(_) = kill {
            std::thread::sleep(Duration::from_micros(200));
        }
    };
    let status = child.wait().expect("waitable");
    if ended == Ended::Finished {
        assert!(status.success(), "{status}");
        return Ended::Finished;
    }
    // Exited on its own between the last check and the signal: a finished run.
    if status.success() {
        Ended::Finished
    } else {
        Ended::Killed
    }
}

/// A dossier of the Arcadia example with its submissions copied `copies` times, so
/// that rendering its pack takes a while.
fn big_dossier(dir: &Path, copies: usize) -> PathBuf {
    let dossier = dir.join("dossier");
    let example = root().join("examples/arcadia");
    std::fs::create_dir_all(dossier.join("responses")).expect("mkdir");
    std::fs::create_dir_all(dossier.join("submissions")).expect("mkdir");
    for entry in std::fs::read_dir(example.join("responses")).expect("responses") {
        let path = entry.expect("entry").path();
        std::fs::copy(
            &path,
            dossier
                .join("responses")
                .join(path.file_name().expect("name")),
        )
        .expect("copy");
    }
    for entry in std::fs::read_dir(example.join("submissions")).expect("submissions") {
        let path = entry.expect("entry").path();
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        for i in 0..copies {
            std::fs::copy(
                &path,
                dossier.join("submissions").join(format!("{stem}-{i}.yaml")),
            )
            .expect("copy");
        }
    }
    dossier
}

const OLD: &[u8] = b"<!doctype html><title>the previous pack</title></html>\n";

#[test]
fn an_interrupted_pack_leaves_the_previous_file_or_the_whole_new_one() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dossier = big_dossier(tmp.path(), 3);
    let out_dir = tmp.path().join("out");
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    // The complete pack, for comparison: packs are byte-identical for the same inputs.
    let reference = out_dir.join("reference.html");
    let args = |out: &Path| -> Vec<std::ffi::OsString> {
        vec![
            "pack".into(),
            dossier.clone().into(),
            "--audience".into(),
            "reviewers".into(),
            "-o".into(),
            out.into(),
        ]
    };
    let run = args(&reference);
    let run: Vec<&std::ffi::OsStr> = run.iter().map(|a| a.as_os_str()).collect();
    assert_eq!(
        interrupt(&run, Kill::After(Duration::from_secs(3600)), &out_dir),
        Ended::Finished
    );
    let new = std::fs::read(&reference).expect("the reference pack");
    assert!(String::from_utf8_lossy(&new)
        .trim_end()
        .ends_with("</html>"));
    std::fs::remove_file(&reference).expect("rm");

    let out = out_dir.join("out.html");
    let mut kills = vec![];
    for ms in [5, 20, 50, 100, 200, 400] {
        kills.push(Kill::After(Duration::from_millis(ms)));
    }
    // Catching the write itself takes luck on a fast disk: try up to 20 times, and
    // stop after the second catch.
    kills.extend([Kill::AtWrite; 20]);
    let mut killed_at_write = 0;
    for kill in kills {
        std::fs::write(&out, OLD).expect("the previous pack");
        let run = args(&out);
        let run: Vec<&std::ffi::OsStr> = run.iter().map(|a| a.as_os_str()).collect();
        let ended = interrupt(&run, kill, &out_dir);
        let now = std::fs::read(&out).expect("the destination still exists");
        assert!(
            now == OLD || now == new,
            "{kill:?} ({ended:?}): out.html is {} bytes, neither the old {} nor the new {}",
            now.len(),
            OLD.len(),
            new.len()
        );
        if ended == Ended::Finished {
            assert_eq!(now, new, "{kill:?}: finished but not written");
        }
        if matches!(kill, Kill::AtWrite) && ended == Ended::Killed {
            // The signal may land before or after the rename: either is whole.
            killed_at_write += 1;
        }
        // Only the destination, and perhaps the killed run's temporary file.
        let stray = others(&out_dir, &["out.html"]);
        for name in &stray {
            assert!(
                name.starts_with(".saq-") && name.ends_with(".tmp"),
                "{kill:?}: unexpected {name}"
            );
        }
        if ended == Ended::Finished {
            assert_eq!(stray, Vec::<String>::new(), "a finished run leaves nothing");
        }
        for path in temp_files(&out_dir) {
            std::fs::remove_file(path).expect("rm");
        }
        if killed_at_write >= 2 {
            break;
        }
    }
    assert!(killed_at_write > 0, "never caught a write in progress");
}

#[test]
fn a_pack_stopped_by_sigterm_or_sigint_while_writing_keeps_the_previous_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dossier = big_dossier(tmp.path(), 2);
    let out_dir = tmp.path().join("out");
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    let out = out_dir.join("out.html");
    for number in [15, 2] {
        std::fs::write(&out, OLD).expect("the previous pack");
        let run: Vec<std::ffi::OsString> = vec![
            "pack".into(),
            dossier.clone().into(),
            "--audience".into(),
            "public".into(),
            "-o".into(),
            out.clone().into(),
        ];
        let run: Vec<&std::ffi::OsStr> = run.iter().map(|a| a.as_os_str()).collect();
        interrupt(&run, Kill::SignalAtWrite(number), &out_dir);
        let now = String::from_utf8(std::fs::read(&out).expect("the destination")).expect("UTF-8");
        // The previous file, or (the signal landing after the rename) the whole pack.
        assert!(
            now.as_bytes() == OLD || (now.starts_with("<!") && now.trim_end().ends_with("</html>")),
            "signal {number}: {} bytes",
            now.len()
        );
        // Like SIGKILL, these signals end the process without unwinding, so the
        // temporary file may stay; it is hidden and never the destination.
        for name in others(&out_dir, &["out.html"]) {
            assert!(
                name.starts_with(".saq-") && name.ends_with(".tmp"),
                "{name}"
            );
        }
        for path in temp_files(&out_dir) {
            std::fs::remove_file(path).expect("rm");
        }
    }
}

/// Runs `saq migrate` on a copy of the Arcadia UNTOC response (untoc@1.0 -> 1.1).
#[test]
fn an_interrupted_migrate_in_place_leaves_the_old_or_the_new_response() {
    let tmp = tempfile::tempdir().expect("tmp");
    let original =
        std::fs::read(root().join("examples/arcadia/responses/untoc.yaml")).expect("the example");
    let dir = tmp.path().join("responses");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let file = dir.join("untoc.yaml");
    std::fs::write(&file, &original).expect("write");
    let run: Vec<std::ffi::OsString> = vec![
        "migrate".into(),
        file.clone().into(),
        "--to".into(),
        "untoc@1.1".into(),
    ];
    let run: Vec<&std::ffi::OsStr> = run.iter().map(|a| a.as_os_str()).collect();
    // The complete result first.
    let output = Command::new(bin()).args(&run).output().expect("saq runs");
    assert!(output.status.success(), "{output:?}");
    let migrated = std::fs::read(&file).expect("migrated");
    assert_ne!(migrated, original);
    assert!(migrated.starts_with(b"questionnaire: untoc@1.1\n"));

    let mut kills = vec![];
    for ms in [2, 10, 30, 60, 120] {
        kills.push(Kill::After(Duration::from_millis(ms)));
    }
    // Catching the write itself takes luck on a fast disk: try up to 20 times, and
    // stop after the second catch.
    kills.extend([Kill::AtWrite; 20]);
    let mut killed_at_write = 0;
    for kill in kills {
        std::fs::write(&file, &original).expect("restore");
        let ended = interrupt(&run, kill, &dir);
        let now = std::fs::read(&file).expect("the response still exists");
        assert!(
            now == original || now == migrated,
            "{kill:?} ({ended:?}): {} bytes, neither old nor new",
            now.len()
        );
        if ended == Ended::Finished {
            assert_eq!(now, migrated);
            assert_eq!(others(&dir, &["untoc.yaml"]), Vec::<String>::new());
        } else if matches!(kill, Kill::AtWrite) {
            killed_at_write += 1;
        }
        for name in others(&dir, &["untoc.yaml"]) {
            assert!(
                name.starts_with(".saq-") && name.ends_with(".tmp"),
                "{name}"
            );
        }
        for path in temp_files(&dir) {
            std::fs::remove_file(path).expect("rm");
        }
        if killed_at_write >= 2 {
            break;
        }
    }
    assert!(killed_at_write > 0, "never caught a write in progress");
}

#[test]
fn a_failed_pack_writes_nothing_and_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dossier = big_dossier(tmp.path(), 1);
    // An error in one submission: no pack.
    std::fs::write(
        dossier.join("submissions/broken.yaml"),
        "questionnaire: trafficking@1.0\nstate: XAR\ncomments: [\n",
    )
    .expect("write");
    let out_dir = tmp.path().join("out");
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    let out = out_dir.join("out.html");
    let status = Command::new(bin())
        .arg("pack")
        .arg(&dossier)
        .args(["--audience", "public", "-o"])
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .expect("saq runs");
    assert_eq!(status.code(), Some(1));
    assert_eq!(others(&out_dir, &[]), Vec::<String>::new());
    // With a previous pack there, it is left alone.
    std::fs::write(&out, OLD).expect("write");
    let status = Command::new(bin())
        .arg("pack")
        .arg(&dossier)
        .args(["--audience", "public", "-o"])
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .expect("saq runs");
    assert_eq!(status.code(), Some(1));
    assert_eq!(std::fs::read(&out).expect("read"), OLD);
    assert_eq!(others(&out_dir, &["out.html"]), Vec::<String>::new());
}

#[test]
fn a_pack_that_cannot_be_written_exits_2_and_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dossier = root().join("examples/arcadia");
    // The destination is a folder: the rename fails after the temporary file is written.
    let out_dir = tmp.path().join("out");
    let taken = out_dir.join("taken.html");
    std::fs::create_dir_all(taken.join("inside")).expect("mkdir");
    let status = Command::new(bin())
        .arg("pack")
        .arg(&dossier)
        .args(["--audience", "public", "-o"])
        .arg(&taken)
        .stderr(Stdio::null())
        .status()
        .expect("saq runs");
    assert_eq!(status.code(), Some(2));
    assert!(taken.join("inside").is_dir());
    assert_eq!(others(&out_dir, &["taken.html"]), Vec::<String>::new());
    // A destination folder that does not exist.
    let status = Command::new(bin())
        .arg("pack")
        .arg(&dossier)
        .args(["--audience", "public", "-o"])
        .arg(tmp.path().join("missing/out.html"))
        .stderr(Stdio::null())
        .status()
        .expect("saq runs");
    assert_eq!(status.code(), Some(2));
    assert!(!tmp.path().join("missing").exists());
}

#[test]
fn a_failed_migrate_leaves_the_response_untouched() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("untoc.yaml");
    let broken = b"questionnaire: untoc@1.0\nstate: XAR\nanswers: [\n";
    std::fs::write(&file, broken).expect("write");
    let status = Command::new(bin())
        .arg("migrate")
        .arg(&file)
        .args(["--to", "untoc@1.1"])
        .stderr(Stdio::null())
        .status()
        .expect("saq runs");
    assert_eq!(status.code(), Some(1));
    assert_eq!(std::fs::read(&file).expect("read"), broken);
    assert_eq!(others(tmp.path(), &["untoc.yaml"]), Vec::<String>::new());
}

/// Regression: temporary files are created 0600 and the rename keeps that, so a
/// response migrated in place used to lose its group and other permissions, and
/// every pack was readable by its owner only.
#[test]
fn written_files_keep_or_get_ordinary_permissions() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("untoc.yaml");
    std::fs::copy(root().join("examples/arcadia/responses/untoc.yaml"), &file).expect("copy");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o664)).expect("chmod");
    let output = Command::new(bin())
        .arg("migrate")
        .arg(&file)
        .args(["--to", "untoc@1.1"])
        .output()
        .expect("saq runs");
    assert!(output.status.success(), "{output:?}");
    let mode = std::fs::metadata(&file).expect("stat").permissions().mode() & 0o777;
    assert_eq!(
        mode, 0o664,
        "migrate in place changed the file's permissions"
    );
    // A new file gets what the umask allows, like any file a program creates.
    let out = tmp.path().join("pack.html");
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" pack \"$1\" --audience public -o \"$2\"")
        .arg(bin())
        .arg(root().join("examples/arcadia"))
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .expect("sh runs");
    assert!(status.success());
    let mode = std::fs::metadata(&out).expect("stat").permissions().mode() & 0o777;
    assert_eq!(
        mode, 0o644,
        "a new pack is not readable as umask 022 allows"
    );
}

/// A new file gets what the user's umask allows, and no more: with umask 077 a pack
/// (which may hold what only reviewers or the secretariat may read) stays private.
/// Regression: new files used to get a fixed 0644 whatever the umask.
#[test]
fn a_new_file_respects_a_restrictive_umask() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("pack.html");
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 077 && exec \"$0\" pack \"$1\" --audience secretariat -o \"$2\"")
        .arg(bin())
        .arg(root().join("examples/arcadia"))
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .expect("sh runs");
    assert!(status.success());
    let mode = std::fs::metadata(&out).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "umask 077, yet the pack is {mode:o}");
}

/// Regression: the rename used to replace the link itself with a regular file,
/// leaving the file it pointed to unchanged.
#[test]
fn migrating_through_a_symbolic_link_updates_the_linked_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let real = tmp.path().join("shared");
    std::fs::create_dir_all(&real).expect("mkdir");
    let target = real.join("untoc.yaml");
    std::fs::copy(
        root().join("examples/arcadia/responses/untoc.yaml"),
        &target,
    )
    .expect("copy");
    let link = tmp.path().join("untoc.yaml");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let output = Command::new(bin())
        .arg("migrate")
        .arg(&link)
        .args(["--to", "untoc@1.1"])
        .output()
        .expect("saq runs");
    assert!(output.status.success(), "{output:?}");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("lstat")
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert!(std::fs::read(&target)
        .expect("read")
        .starts_with(b"questionnaire: untoc@1.1\n"));
}
