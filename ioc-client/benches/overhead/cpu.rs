//! CPU clocks: the process's, and one thread's (the canned server's), so that the client's CPU
//! is the process's minus the server's. Whatever the client does on any thread (the call, its
//! connection tasks, timers, a blocking pool if one were used) is counted; only the server is
//! left out.

use std::io;
use std::time::Duration;

/// The CPU clock of one thread, readable from any thread while it lives.
#[derive(Clone, Copy)]
pub struct ThreadClock(libc::clockid_t);

impl ThreadClock {
    /// The clock of the calling thread.
    pub fn current() -> io::Result<ThreadClock> {
        let mut clock: libc::clockid_t = 0;
        // SAFETY: `pthread_self` is always valid for the calling thread, and `clock` is a valid
        // place to write the clock id to.
        let rc = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) };
        if rc != 0 {
            return Err(io::Error::from_raw_os_error(rc));
        }
        Ok(ThreadClock(clock))
    }

    /// CPU time the thread has used.
    pub fn read(self) -> io::Result<Duration> {
        read(self.0)
    }
}

/// CPU time the whole process has used.
pub fn process() -> io::Result<Duration> {
    read(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn read(clock: libc::clockid_t) -> io::Result<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid place for the clock to write to.
    if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
}
