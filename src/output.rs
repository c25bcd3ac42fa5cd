//! Writing output files so that a failed or interrupted command leaves nothing behind.
//!
//! Content goes to a temporary file in the destination's folder, which is then
//! renamed over the destination: readers see the old file or the new one, never half.

use std::io::Write;
use std::path::Path;

use crate::Failure;

pub fn write_atomically(path: &Path, content: &[u8]) -> Result<(), Failure> {
    // Write through a symbolic link to the file it names, rather than replace the link.
    let resolved = std::fs::canonicalize(path)
        .ok()
        .filter(|_| path.is_symlink());
    let path = resolved.as_deref().unwrap_or(path);
    // Keep an existing file's permissions; a new one gets what the user's umask
    // allows (temporary files are otherwise created private).
    let permissions = std::fs::metadata(path).map(|m| m.permissions()).ok();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |source| Failure::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".saq-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As `File::create` would: the kernel applies the umask to 0666.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    tmp.write_all(content).map_err(fail)?;
    if let Some(permissions) = permissions {
        tmp.as_file().set_permissions(permissions).map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Writes to stdout, treating a closed pipe (`saq show | head`) as success.
pub fn print(content: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(content.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Write {
            path: "<stdout>".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}
