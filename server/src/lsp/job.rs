//! The one panic and cancellation boundary that every piece of analysis work runs inside.
//!
//! A query that a newer edit interrupted (`Cancelled`) answers `ContentModified` (-32801), so the
//! client asks again. Any other panic answers `InternalError`, is logged once to stderr with the
//! method it happened in, and the server keeps serving: the snapshot the job held is dropped with
//! it, and nothing the writer owns was touched. This is why the build must never use
//! `panic = "abort"`.
//!
//! While a job runs, the panic hook keeps the message (with its location) for the boundary to log
//! instead of printing it itself, so each panic is reported exactly once. Panics anywhere else go
//! to the default hook.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use borrowlens_analysis::Cancelled;
use tower_lsp_server::jsonrpc::{Error, ErrorCode};

thread_local! {
    static IN_JOB: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the hook that hands a job's panic message to its boundary. Idempotent.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if IN_JOB.with(Cell::get) {
                let location = info
                    .location()
                    .map(|it| format!(" at {it}"))
                    .unwrap_or_default();
                let message = format!("{}{location}", payload_message(info.payload()));
                LAST_PANIC.with(|it| *it.borrow_mut() = Some(message));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f` on the blocking pool inside the boundary (a job must not hold up the async threads).
pub async fn spawn<T: Send + 'static>(
    method: &'static str,
    f: impl FnOnce() -> Result<T, Cancelled> + Send + 'static,
) -> Result<T, Error> {
    match tokio::task::spawn_blocking(move || catch(method, f)).await {
        Ok(it) => it,
        Err(err) => {
            tracing::error!("{method}: the job was lost: {err}");
            Err(Error::internal_error())
        }
    }
}

/// Runs `f` inside the boundary on this thread.
pub fn catch<T>(method: &str, f: impl FnOnce() -> Result<T, Cancelled>) -> Result<T, Error> {
    install_panic_hook();
    let was_in_job = IN_JOB.with(|it| it.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    IN_JOB.with(|it| it.set(was_in_job));
    match result {
        Ok(Ok(it)) => Ok(it),
        Ok(Err(_cancelled)) => Err(content_modified()),
        Err(payload) if payload.is::<Cancelled>() => Err(content_modified()),
        Err(payload) => {
            let message = LAST_PANIC
                .with(|it| it.borrow_mut().take())
                .unwrap_or_else(|| payload_message(&*payload));
            tracing::error!("{method} panicked: {message}");
            Err(Error {
                code: ErrorCode::InternalError,
                message: format!("{method} failed: internal error").into(),
                data: None,
            })
        }
    }
}

fn content_modified() -> Error {
    Error::content_modified()
}

fn payload_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|it| it.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_internal_errors_and_the_thread_goes_on() {
        let err = catch("test/method", || -> Result<(), Cancelled> {
            panic!("boom")
        })
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InternalError);
        assert!(err.message.contains("test/method"), "{}", err.message);
        assert_eq!(catch("test/method", || Ok(7)).unwrap(), 7);
        assert!(!IN_JOB.with(Cell::get));
    }

    #[test]
    fn the_hook_keeps_the_message_for_the_boundary() {
        install_panic_hook();
        let _ = catch("test/hook", || -> Result<(), Cancelled> { panic!("kept") });
        // The boundary took the message: nothing is left for the next panic to mix up.
        assert!(LAST_PANIC.with(|it| it.borrow().is_none()));
    }

    #[test]
    fn cancellation_is_content_modified() {
        let err = catch("test/cancel", || -> Result<(), Cancelled> {
            panic::resume_unwind(Box::new(Cancelled::PendingWrite))
        })
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::ContentModified);
    }
}
