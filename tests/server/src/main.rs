//! fake-qase: a local server speaking the Qase API subset the testrelay reporters use, with
//! seeded fault injection and a control API that shows exactly what arrived. See README.md.

mod api;
mod app;
mod attachments;
mod configurations;
mod control;
mod faults;
mod inject;
mod serve;
mod store;
mod validate;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

use crate::app::{App, Options};
use crate::faults::FaultConfig;

/// Local Qase API test server with fault injection (binds 127.0.0.1 only).
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Port to listen on; 0 picks a free one (printed on the first stdout line).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The API token clients must send in the `Token` header.
    #[arg(long)]
    token: String,
    /// A fault config file (JSON, see README.md).
    #[arg(long)]
    faults: Option<PathBuf>,
    /// Seed of the probabilistic faults (a `seed` in the fault config replaces it).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Another accepted token, named for client-scoped faults and the request log
    /// (repeatable), e.g. `--client shard2=TOKEN2`.
    #[arg(long = "client")]
    clients: Vec<String>,
    /// A project code that exists (repeatable); without any, every code exists.
    #[arg(long = "project")]
    projects: Vec<String>,
    /// Exit when standard input reaches its end (the parent process closed it or died).
    #[arg(long)]
    exit_on_stdin_close: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let clients = match cli.clients.iter().map(|c| parse_client(c)).collect() {
        Ok(clients) => clients,
        Err(message) => {
            eprintln!("fake-qase: --client: {message}");
            return ExitCode::from(2);
        }
    };
    let faults = match load_faults(cli.faults.as_ref()) {
        Ok(faults) => faults,
        Err(message) => {
            eprintln!("fake-qase: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("fake-qase: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(run(cli, clients, faults));
    // The stdin reader may sit in a blocking read; do not wait for it.
    runtime.shutdown_background();
    code
}

/// `NAME=TOKEN`; the message never repeats the token.
fn parse_client(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, token)) if !name.is_empty() && !token.is_empty() && name != "default" => {
            Ok((name.to_owned(), token.to_owned()))
        }
        _ => Err("expected NAME=TOKEN with a non-empty name other than `default`".to_owned()),
    }
}

fn load_faults(path: Option<&PathBuf>) -> Result<FaultConfig, String> {
    let Some(path) = path else {
        return Ok(FaultConfig::default());
    };
    let text = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    control::parse_faults(&text).map_err(|e| format!("{}: {e}", path.display()))
}

async fn run(cli: Cli, clients: Vec<(String, String)>, faults: FaultConfig) -> ExitCode {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, cli.port));
    let listener = match TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("fake-qase: cannot listen on {address}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let port = match listener.local_addr() {
        Ok(local) => local.port(),
        Err(e) => {
            eprintln!("fake-qase: cannot read the bound address: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = Options {
        token: cli.token,
        clients,
        seed: cli.seed,
        projects: cli.projects,
    };
    let terminated = match terminated() {
        Ok(terminated) => terminated,
        Err(e) => {
            eprintln!("fake-qase: cannot handle signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let app = App::new(options, faults);
    let router = serve::router(app.clone());
    let mut stdout = std::io::stdout().lock();
    let announced = writeln!(stdout, "fake-qase listening on http://127.0.0.1:{port}")
        .and_then(|()| stdout.flush());
    drop(stdout);
    if let Err(e) = announced {
        eprintln!("fake-qase: cannot write to stdout: {e}");
        return ExitCode::FAILURE;
    }
    let exit_on_stdin_close = cli.exit_on_stdin_close;
    let shutdown = async move {
        tokio::select! {
            () = app.stop.notified() => {}
            () = terminated => {}
            () = stdin_closed(), if exit_on_stdin_close => {}
        }
    };
    serve::serve(listener, router, shutdown).await;
    ExitCode::SUCCESS
}

/// Resolves on SIGTERM or SIGINT. The handlers are installed by this call, not when the
/// future is first polled, so a signal sent right after the listening line is not missed.
fn terminated() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut sigterm = signal(SignalKind::terminate())?;
        let mut sigint = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = sigterm.recv() => {}
                _ = sigint.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// Standard input reached its end (or failed).
async fn stdin_closed() {
    let mut stdin = tokio::io::stdin();
    let mut buffer = [0u8; 256];
    while let Ok(read) = stdin.read(&mut buffer).await {
        if read == 0 {
            break;
        }
    }
}
