//! What the operating system counts for this process: page faults, CPU time, context switches
//! (`getrusage`), and resident memory (`/proc/self/status`, Linux only); and a way to spare a
//! run the page faults of fresh memory ([`pretouch_heap`], Linux with glibc only).

use std::time::Duration;

/// A reading of the process's resource counters; subtract two to get what happened between.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Usage {
    /// Page faults served without reading from disk: mostly first touches of fresh memory.
    pub minor_faults: u64,
    pub major_faults: u64,
    pub user: Duration,
    pub system: Duration,
    /// The thread gave up the CPU to wait (for a lock held by another thread, say).
    pub voluntary_switches: u64,
    pub involuntary_switches: u64,
}

impl Usage {
    /// The counters of the whole process, all threads included (finished ones too).
    pub fn now() -> Usage {
        // SAFETY: `getrusage` fills the struct we pass; an all-zero `rusage` is a valid value.
        let mut raw: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `raw` is a valid, writable `rusage`.
        let status = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut raw) };
        if status != 0 {
            return Usage::default();
        }
        let time = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
        };
        Usage {
            minor_faults: raw.ru_minflt as u64,
            major_faults: raw.ru_majflt as u64,
            user: time(raw.ru_utime),
            system: time(raw.ru_stime),
            voluntary_switches: raw.ru_nvcsw as u64,
            involuntary_switches: raw.ru_nivcsw as u64,
        }
    }

    /// What happened between `earlier` and `self`.
    pub fn since(self, earlier: Usage) -> Usage {
        Usage {
            minor_faults: self.minor_faults - earlier.minor_faults,
            major_faults: self.major_faults - earlier.major_faults,
            user: self.user.saturating_sub(earlier.user),
            system: self.system.saturating_sub(earlier.system),
            voluntary_switches: self.voluntary_switches - earlier.voluntary_switches,
            involuntary_switches: self.involuntary_switches - earlier.involuntary_switches,
        }
    }
}

/// Resident set size now and at its peak (`VmRSS`, `VmHWM`), in bytes; `None` where
/// `/proc/self/status` does not exist.
pub fn resident_bytes() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Makes about `bytes` of the calling thread's heap resident before anything needs them, so that
/// the allocations that follow take memory the kernel has already mapped instead of fresh pages:
/// `compare`'s control for what the page faults of a leak cost.
///
/// It allocates blocks of 4 MiB from the heap (not from `mmap`: glibc's threshold for that is
/// raised above the block size), writes one byte per 4 KiB page of each, and frees them. They
/// merge into the free space at the top of the heap, which glibc keeps instead of giving it back
/// to the kernel (its trim threshold is raised to the maximum). Both settings stay for the rest
/// of the process.
// ANCHOR: pretouch
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn pretouch_heap(bytes: usize) {
    const BLOCK: usize = 4 << 20;
    const PAGE: usize = 4096;
    // SAFETY: `mallopt` only changes two of glibc's malloc parameters.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 2 * BLOCK as libc::c_int);
        libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX);
    }
    let blocks: Vec<Vec<u8>> = (0..bytes.div_ceil(BLOCK))
        .map(|_| {
            let mut block = Vec::<u8>::with_capacity(BLOCK);
            for page in block.spare_capacity_mut().chunks_mut(PAGE) {
                page[0].write(1);
            }
            std::hint::black_box(block)
        })
        .collect();
    drop(blocks);
}
// ANCHOR_END: pretouch

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_fresh_memory_counts_page_faults_and_grows_rss() {
        let before = Usage::now();
        let (rss_before, _) = resident_bytes().expect("Linux has /proc/self/status");
        let mut block = vec![0u8; 16 << 20];
        for page in block.chunks_mut(4096) {
            page[0] = 1;
        }
        std::hint::black_box(&block);
        let used = Usage::now().since(before);
        let (rss_after, peak) = resident_bytes().unwrap();
        // At least one fault: fewer than one per 4 KiB page if the kernel backs the block with
        // huge pages.
        assert!(used.minor_faults > 0, "{used:?}");
        assert!(
            rss_after > rss_before + (8 << 20),
            "{rss_before} -> {rss_after}"
        );
        assert!(peak >= rss_after);
    }
}
