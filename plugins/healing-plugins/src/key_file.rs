//! The operator's artifact key in a file: 64 hex digits, mode 0600, generated
//! from the operating system's random generator on first use. The CLI
//! (`healing-plugin install`) and the server (`healing-server plugin install`,
//! `serve`) keep it this way, so they read each other's key.

use std::io::Write as _;
use std::path::Path;

use crate::Error;
use crate::host::{ArtifactKey, hex, unhex};

impl ArtifactKey {
    /// A new key from the operating system's random generator.
    pub fn generate() -> Result<ArtifactKey, Error> {
        let mut bytes = [0; 32];
        getrandom::fill(&mut bytes).map_err(|error| Error::KeyFile {
            path: "<random>".to_owned(),
            message: format!("the operating system's random generator failed: {error}"),
        })?;
        Ok(ArtifactKey(bytes))
    }

    /// Reads the key in `path`, refusing a file that group or others can
    /// read.
    pub fn read_file(path: &Path) -> Result<ArtifactKey, Error> {
        let failed = |message: String| Error::KeyFile {
            path: path.display().to_string(),
            message,
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(path)
                .map_err(|error| failed(error.to_string()))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(failed(format!(
                    "mode {:o}; it must not be readable by group or others (chmod 600)",
                    mode & 0o777
                )));
            }
        }
        let text = std::fs::read_to_string(path).map_err(|error| failed(error.to_string()))?;
        let bytes: [u8; 32] = unhex(text.trim())
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| failed("not 64 hex digits".to_owned()))?;
        Ok(ArtifactKey(bytes))
    }

    /// Reads the key in `path`, or generates one and writes it there (mode
    /// 0600, the folder created) if there is no such file. The flag says
    /// whether it was generated.
    pub fn read_or_create_file(path: &Path) -> Result<(ArtifactKey, bool), Error> {
        if path.exists() {
            return Ok((ArtifactKey::read_file(path)?, false));
        }
        let failed = |error: std::io::Error| Error::KeyFile {
            path: path.display().to_string(),
            message: error.to_string(),
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(failed)?;
        }
        let key = ArtifactKey::generate()?;
        let mut options = std::fs::OpenOptions::new();
        // `create_new`: two processes creating the key at once do not overwrite
        // each other's; the loser reads the winner's.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = match options.open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                return Ok((ArtifactKey::read_file(path)?, false));
            }
            Err(error) => return Err(failed(error)),
        };
        writeln!(file, "{}", hex(&key.0)).map_err(failed)?;
        file.sync_all().map_err(failed)?;
        Ok((key, true))
    }
}
