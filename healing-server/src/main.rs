//! `healing-server` binary: parses the command line and runs a subcommand.

use std::process::ExitCode;

use clap::Parser as _;
use healing_server::cli::{Cli, Command, PluginCommand};
use healing_server::config::Config;
use healing_server::{commands, plugins, seed, server};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let config = match Config::resolve(&cli.settings) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("healing-server: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(&config).await.map(|()| String::new()),
        Command::Migrate => commands::migrate(&config).await,
        Command::CreateUser(args) => commands::create_user(&config, &args).await,
        Command::RotateKey(args) => commands::rotate_key(&config, &args).await,
        Command::VerifyAudit => commands::verify_audit(&config).await,
        Command::SeedDemo(args) => seed::seed_demo(&config, &args).await,
        Command::Plugin(PluginCommand::Install(args)) => plugins::install(
            &config.plugins,
            &args.path,
            args.id.as_deref(),
            args.version.as_deref(),
        ),
    };
    match result {
        Ok(report) => {
            if !report.is_empty() {
                #[expect(clippy::print_stdout, reason = "the command's result is its output")]
                {
                    println!("{report}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("healing-server: {error}");
            ExitCode::FAILURE
        }
    }
}
