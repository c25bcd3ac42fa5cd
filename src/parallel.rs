//! Working on independent inputs (files, dossiers) on several threads while
//! reporting in the order the user gave them.
//!
//! Inputs are handed out one at a time (the next free thread takes the next input),
//! since a dossier can take ten times as long as another. Results reach the caller
//! in input order as soon as they and every earlier one are done, so output is the
//! same on any number of threads and a long run shows its progress as it goes.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// How many threads to work on `items` inputs with: `jobs` if the user chose,
/// else one per core; never more threads than inputs.
pub fn threads(jobs: Option<NonZeroUsize>, items: usize) -> usize {
    let wanted = jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    wanted.min(items).max(1)
}

/// Runs `work` on every item on up to `threads` threads and calls `emit` on the
/// results in the order of `items`. `emit` runs on the calling thread, so it may
/// print or collect without locks; results may borrow from `items`. A panic in
/// `work` propagates to the caller.
pub fn ordered<'a, T, R>(
    items: &'a [T],
    threads: usize,
    work: impl Fn(&'a T) -> R + Sync,
    mut emit: impl FnMut(R),
) where
    T: Sync,
    R: Send,
{
    if threads <= 1 || items.len() <= 1 {
        items.iter().for_each(|item| emit(work(item)));
        return;
    }
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len()) {
            let sender = sender.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else { break };
                // The receiver only goes away if the caller panicked; stop then.
                if sender.send((index, work(item))).is_err() {
                    break;
                }
            });
        }
        // Only the workers hold senders now: the loop ends when the last one is done.
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut due = 0;
        for (index, result) in receiver {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&due) {
                emit(result);
                due += 1;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn results_come_in_input_order_whatever_finishes_first() {
        let items: Vec<u64> = (0..40).collect();
        let mut seen = Vec::new();
        // Early items sleep longest, so later ones finish first.
        ordered(
            &items,
            4,
            |&i| {
                std::thread::sleep(Duration::from_millis((40 - i) / 4));
                i * 10
            },
            |r| seen.push(r),
        );
        assert_eq!(seen, items.iter().map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn work_runs_on_several_threads() {
        let items: Vec<u32> = (0..8).collect();
        let mut ids = std::collections::HashSet::new();
        // The first two items wait for each other, so two threads must take them:
        // no timing involved, whatever the machine's load.
        let both = std::sync::Barrier::new(2);
        ordered(
            &items,
            2,
            |i| {
                if *i < 2 {
                    both.wait();
                }
                std::thread::current().id()
            },
            |id| {
                ids.insert(id);
            },
        );
        assert_eq!(ids.len(), 2);
    }

    #[test]
    fn one_thread_or_one_item_runs_inline() {
        let mut seen = Vec::new();
        ordered(&[1, 2, 3], 1, |i| i + 1, |r| seen.push(r));
        ordered(&[7], 8, |i| i + 1, |r| seen.push(r));
        ordered(&[] as &[i32], 8, |i| i + 1, |r| seen.push(r));
        assert_eq!(seen, [2, 3, 4, 8]);
    }

    #[test]
    fn thread_count_is_bounded_by_the_inputs() {
        let two = NonZeroUsize::new(2);
        assert_eq!(threads(two, 10), 2);
        assert_eq!(threads(two, 1), 1);
        assert_eq!(threads(two, 0), 1);
        assert!(threads(None, 100) >= 1);
    }
}
