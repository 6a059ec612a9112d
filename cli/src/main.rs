//! `people-first`: the local stack, the site's build, and the campaign staff's commands.

mod build_site;
mod erase;
mod export;
mod recount;
mod report;
mod serve;
mod smoke_test;
mod staff;
mod stats;
mod supporters;
mod updates;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// People First: the local stack, the site's build and the staff's commands.
///
/// Staff commands act on the DynamoDB table named by PEOPLE_FIRST_TABLE (with the AWS
/// credentials of the environment and the stage's key from PEOPLE_FIRST_SECRET_ARN), or, with
/// --local, on the local stack's data (stop the local stack first); each says which first.
#[derive(Parser)]
#[command(name = "people-first", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Staff commands: act on the local stack's data in $PEOPLE_FIRST_DATA_DIR (.local)
    #[arg(long, global = true)]
    local: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole stack locally (the default): the site, the API, the mailer, the counter and
    /// the mail viewer, on http://127.0.0.1:$PORT (3000), keeping data in
    /// $PEOPLE_FIRST_DATA_DIR (.local)
    Serve,
    /// Write the static site, every page in every language, for PEOPLE_FIRST_PUBLIC_URL and
    /// PEOPLE_FIRST_CONTACT
    BuildSite {
        /// Where to write it
        #[arg(default_value = "dist/site")]
        dir: std::path::PathBuf,
    },
    /// Count the confirmed signatures one by one and compare them with the counter, per country
    Recount {
        /// Repair any drift found
        #[arg(long)]
        fix: bool,
    },
    /// Write the confirmed signatures, for delivery to the negotiators
    Export(export::Options),
    /// Erase the signature of an address, on its owner's request; the count follows
    Erase {
        /// The signer's email address, in any case or spelling they may have used
        address: String,
    },
    /// Confirmed signatures per day and per country, and those still waiting for confirmation
    Stats {
        /// Also signed, confirmed and the confirmation rate per source: each partner and
        /// channel signatures came through
        #[arg(long)]
        by_source: bool,
    },
    /// The signatures as charts, in one HTML file to open anywhere, offline: signed and
    /// confirmed over time, confirmation by language, source and mailbox provider, the
    /// emails, the countries
    Report(report::Options),
    /// Organisations asking to join the supporters list: review, approve, reject, remove, list
    Supporters {
        #[command(subcommand)]
        command: supporters::Command,
    },
    /// Campaign updates to the signers who asked for them: write one Markdown file per
    /// language in a folder, preview it, test it, send it, follow it
    Updates {
        #[command(subcommand)]
        command: updates::Command,
    },
    /// After a deploy: the deployed site answers and takes a signature from SES's mailbox
    /// simulator; with --confirm, confirm it, see the count move, erase it, see it move back
    SmokeTest {
        /// The deployed site, for example https://people1st.example.org
        url: String,
        /// Also confirm, count and erase (needs the stage's master secret and table)
        #[arg(long)]
        confirm: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if !matches!(command, Command::BuildSite { .. } | Command::Export(_)) {
        people_first::telemetry::init_readable();
    }
    let target = || staff::Target::chosen(cli.local);
    let outcome = match command {
        Command::Serve => serve::run().map(|()| ExitCode::SUCCESS),
        Command::BuildSite { dir } => build_site::run(&dir).map(|()| ExitCode::SUCCESS),
        Command::Recount { fix } => target().and_then(|t| recount::run(&t, fix)),
        Command::Export(options) => {
            target().and_then(|t| export::run(&t, &options).map(|()| ExitCode::SUCCESS))
        }
        Command::Erase { address } => target().and_then(|t| erase::run(&t, &address)),
        Command::SmokeTest { url, confirm } => smoke_test::run(&url, confirm, cli.local),
        Command::Stats { by_source } => {
            target().and_then(|t| stats::run(&t, by_source).map(|()| ExitCode::SUCCESS))
        }
        Command::Report(options) => {
            target().and_then(|t| report::run(&t, &options).map(|()| ExitCode::SUCCESS))
        }
        Command::Supporters { command } => target().and_then(|t| supporters::run(&t, command)),
        Command::Updates { command } => updates::run(&command, target).map(|()| ExitCode::SUCCESS),
    };
    outcome.unwrap_or_else(|e| {
        eprintln!("people-first: {e:#}");
        ExitCode::FAILURE
    })
}
