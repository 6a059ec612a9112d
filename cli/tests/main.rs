//! The command line's tests, in one binary: the local stack as a person reaches it, the API's
//! description, the staff's commands on the local stack's data, and the updates' previews.

mod local_stack;
mod openapi;
mod staff_commands;
mod updates;
