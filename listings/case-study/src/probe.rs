//! What the operating system counts for this process: page faults, CPU time, context switches
//! (`getrusage`), and resident memory (`/proc/self/status`, Linux only); what the machine is
//! ([`Machine`]); and a way to spare a run the page faults of fresh memory ([`pretouch_heap`],
//! Linux with glibc only).

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

/// The machine the measurements ran on, as Linux describes it to this process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Machine {
    /// CPUs this process may run on, as `nproc` counts them (its affinity mask).
    pub cpus: usize,
    /// `model name` in `/proc/cpuinfo`, verbatim.
    pub model: String,
    /// `cpu family`, `model` and `stepping` in `/proc/cpuinfo`, which name the exact generation
    /// where the model name may only give the family of products.
    pub family_model_stepping: Option<(String, String, String)>,
    /// Whether two of those CPUs are hyperthreads of one core
    /// (`/sys/devices/system/cpu/cpuN/topology/thread_siblings_list`); `None` if it cannot tell.
    pub smt_siblings: Option<bool>,
    /// The `hypervisor` CPU flag: a virtual machine, whose topology is what the host chose to
    /// show it.
    pub hypervisor: bool,
    /// Whether the kernel splits CPU time between user and kernel by sampling at the timer tick
    /// (`CONFIG_TICK_CPU_ACCOUNTING`), and the tick's rate (`CONFIG_HZ`), from the kernel's
    /// configuration (`/proc/config.gz`, read with `zcat`, or `/boot/config-<release>`); `None`
    /// where it cannot be read.
    pub tick_accounting: Option<bool>,
    pub tick_hz: Option<u32>,
}

impl Machine {
    pub fn describe() -> Machine {
        let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        // The first processor's fields.
        let field = |name: &str| -> Option<String> {
            info.lines()
                .take_while(|l| !l.trim().is_empty())
                .find(|l| l.split(':').next().is_some_and(|k| k.trim() == name))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        };
        let cpus = allowed_cpus();
        let family_model_stepping = match (field("cpu family"), field("model"), field("stepping")) {
            (Some(f), Some(m), Some(s)) => Some((f, m, s)),
            _ => None,
        };
        let config = kernel_config().unwrap_or_default();
        let option = |name: &str| {
            config
                .lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
                .map(str::to_string)
        };
        let known = !config.is_empty();
        Machine {
            tick_accounting: known
                .then(|| option("CONFIG_TICK_CPU_ACCOUNTING").as_deref() == Some("y")),
            tick_hz: option("CONFIG_HZ").and_then(|hz| hz.parse().ok()),
            cpus: cpus.len(),
            model: field("model name").unwrap_or_else(|| "CPU model unknown".to_string()),
            family_model_stepping,
            smt_siblings: smt_siblings(&cpus),
            hypervisor: field("flags")
                .is_some_and(|f| f.split_whitespace().any(|w| w == "hypervisor")),
        }
    }
}

/// `2 CPUs (nproc), AMD EPYC (cpu family 25, model 17, stepping 1); /sys: no two are
/// hyperthreads of one core; a virtual machine, which sees the topology its host shows it`
impl std::fmt::Display for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} CPUs (nproc), {}", self.cpus, self.model)?;
        if let Some((family, model, stepping)) = &self.family_model_stepping {
            write!(
                f,
                " (cpu family {family}, model {model}, stepping {stepping})"
            )?;
        }
        match self.smt_siblings {
            Some(true) => write!(f, "; /sys: some are hyperthreads of one core")?,
            Some(false) => write!(f, "; /sys: no two are hyperthreads of one core")?,
            None => write!(f, "; /sys does not say which are hyperthreads of one core")?,
        }
        if self.hypervisor {
            write!(
                f,
                "; a virtual machine, which sees the topology its host shows it"
            )?;
        }
        match (self.tick_accounting, self.tick_hz) {
            (Some(true), Some(hz)) => write!(f, "; CPU time split at the timer tick, {hz} Hz")?,
            (Some(true), None) => write!(f, "; CPU time split at the timer tick")?,
            _ => {}
        }
        Ok(())
    }
}

/// The running kernel's build configuration, if it can be read.
fn kernel_config() -> Option<String> {
    let zcat = std::process::Command::new("zcat")
        .arg("/proc/config.gz")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned());
    zcat.or_else(|| {
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok()?;
        std::fs::read_to_string(format!("/boot/config-{}", release.trim())).ok()
    })
}

/// The CPUs in this process's affinity mask: what `nproc` counts.
fn allowed_cpus() -> Vec<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: an all-zero `cpu_set_t` is a valid, empty set; `sched_getaffinity` fills the
        // set we pass, of the size we pass; `CPU_ISSET` reads it.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0 {
                return (0..libc::CPU_SETSIZE as usize)
                    .filter(|&cpu| libc::CPU_ISSET(cpu, &set))
                    .collect();
            }
        }
    }
    let n = std::thread::available_parallelism().map_or(1, |n| n.get());
    (0..n).collect()
}

/// Whether any of `cpus` lists another of them as its hyperthread sibling; `None` if a CPU's
/// topology cannot be read.
fn smt_siblings(cpus: &[usize]) -> Option<bool> {
    let mut shared = false;
    for &cpu in cpus {
        let path = format!("/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list");
        let list = std::fs::read_to_string(path).ok()?;
        let siblings = cpu_list(&list)?;
        shared |= siblings.iter().any(|s| *s != cpu && cpus.contains(s));
    }
    Some(shared)
}

/// `0-3,8` as `[0, 1, 2, 3, 8]`.
fn cpu_list(text: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for part in text.trim().split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => out.extend(a.parse::<usize>().ok()?..=b.parse::<usize>().ok()?),
            None => out.push(part.parse().ok()?),
        }
    }
    Some(out)
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
    fn a_cpu_list_is_read_as_linux_writes_it() {
        assert_eq!(cpu_list("0-3,8\n"), Some(vec![0, 1, 2, 3, 8]));
        assert_eq!(cpu_list("1"), Some(vec![1]));
        assert_eq!(cpu_list("x"), None);
    }

    #[test]
    fn the_machine_has_as_many_cpus_as_nproc_counts() {
        let machine = Machine::describe();
        let nproc = std::process::Command::new("nproc")
            .output()
            .expect("nproc (coreutils) runs");
        let nproc: usize = String::from_utf8_lossy(&nproc.stdout)
            .trim()
            .parse()
            .unwrap();
        assert_eq!(machine.cpus, nproc, "{machine}");
        assert!(
            machine
                .to_string()
                .starts_with(&format!("{nproc} CPUs (nproc), "))
        );
    }

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
