//! `people-first`: the local stack, and later the campaign staff's commands.

mod build_site;
mod recount;
mod serve;

use std::process::ExitCode;

const USAGE: &str = "usage: people-first [serve | build-site [DIR] | recount [--fix]]

  serve      run the whole stack locally (the default): the site, the API, the
             mailer, the counter and the mail viewer, on http://127.0.0.1:$PORT (3000)
  build-site write the static site, every page in every language, into DIR
             (dist/site), for PEOPLE_FIRST_PUBLIC_URL and PEOPLE_FIRST_CONTACT
  recount    count the confirmed signatures one by one and compare them with the
             counter, per country; --fix repairs any drift. Reads the DynamoDB table
             named by PEOPLE_FIRST_TABLE, or the local stack's data when it is unset

environment:
  PORT                    the port to listen on (3000)
  PEOPLE_FIRST_DATA_DIR   where the local stack keeps signatures and mail (.local)
  PEOPLE_FIRST_TABLE      the DynamoDB table for staff commands
  PEOPLE_FIRST_GOAL       the campaign's goal, shown with the count (100000)";

fn main() -> ExitCode {
    let command = std::env::args().nth(1);
    match command.as_deref() {
        None | Some("serve") => {
            people_first::telemetry::init_readable();
            match serve::run() {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("people-first: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("build-site") => match build_site::run(std::env::args().nth(2)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("people-first: {e:#}");
                ExitCode::FAILURE
            }
        },
        Some("recount") => {
            people_first::telemetry::init_readable();
            let repair = match std::env::args().nth(2).as_deref() {
                None => false,
                Some("--fix") => true,
                Some(other) => {
                    eprintln!("people-first recount: unknown option {other:?}\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            };
            recount::run(repair).unwrap_or_else(|e| {
                eprintln!("people-first: {e:#}");
                ExitCode::FAILURE
            })
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("people-first: unknown command {other:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
