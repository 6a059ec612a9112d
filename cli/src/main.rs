//! `people-first`: the local stack, and later the campaign staff's commands.

mod serve;

use std::process::ExitCode;

const USAGE: &str = "usage: people-first [serve]

  serve   run the whole stack locally (the default): the site, the API, the
          mailer and the mail viewer, on http://127.0.0.1:$PORT (3000)

environment:
  PORT                    the port to listen on (3000)
  PEOPLE_FIRST_DATA_DIR   where signatures and mail are kept (.local)";

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
