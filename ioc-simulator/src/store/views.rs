//! "Which indicators match this filter, in this order": answered without sorting the whole
//! store on every page.
//!
//! * **Orders.** Creation order is slot order and costs nothing; `created_on` sorts use it
//!   too (creation times are unique and grow with the slot). Any other sort keeps every
//!   slot in that order once built. A write marks the slot dirty in each order, and the
//!   next use takes the dirty slots out and merges them back in (`O(n + d log n)`), so a
//!   write never forces a full re-sort unless a large share of the store changed.
//! * **Plans.** A filter whose conjuncts pin `id` or `value` to exact values starts from
//!   those few records (hash indexes), and one that bounds `created_on` starts from the
//!   matching slot range (binary search), instead of testing every record.
//! * **Views.** The matching slots of a (filter, sort) pair, in order, are cached until the
//!   store next changes. Paging through a view is a binary search and a slice, so every
//!   page after the first costs `O(log n + page)`. Filters and sorts that depend on the
//!   clock (`expired`, `now-1h`) are rebuilt each time, since the clock changes them.

use std::cmp::Ordering;
use std::ops::Range;
use std::sync::Arc;

use super::intern::Interner;
use super::record::is_expired;
use super::{Rec, Record, SortField, SortKey, SortVal, Store};
use crate::fql::{self, Expr, Field, Lit, Op};
use crate::util;

/// Sort orders kept at once; the least recently used goes first.
const MAX_ORDERS: usize = 8;
/// Views cached at once.
const MAX_VIEWS: usize = 64;
/// Slots all cached views may hold together (4 bytes each).
const VIEW_BUDGET: usize = 16 << 20;

/// The caches of one store.
#[derive(Debug, Default)]
pub struct Views {
    orders: Vec<Order>,
    cache: Vec<Cached>,
    clock: u64,
}

/// Every slot, sorted by `keys` (ties in slot order).
#[derive(Debug)]
struct Order {
    keys: Vec<SortKey>,
    slots: Vec<u32>,
    built: bool,
    /// Slots created or changed since `slots` was right.
    dirty: Vec<u32>,
    /// For sorts on `expired`: the order holds while "now" (first 19 characters) is not
    /// past this, the earliest expiration still to come when it was built.
    valid_until: Option<String>,
    used: u64,
}

/// The matching slots of one (filter, sort) pair.
#[derive(Debug)]
struct Cached {
    filter: String,
    keys: Vec<SortKey>,
    slots: Arc<Vec<u32>>,
    used: u64,
}

/// Reads records while ordering them.
struct Reader<'a> {
    records: &'a [Record],
    strings: &'a Interner,
    now: &'a str,
}

impl Reader<'_> {
    fn rec(&self, slot: u32) -> Rec<'_> {
        Rec {
            rec: &self.records[slot as usize],
            slot,
            strings: self.strings,
            now: self.now,
        }
    }

    /// The order of two slots under `keys`, ties broken by creation order.
    fn cmp(&self, keys: &[SortKey], a: u32, b: u32) -> Ordering {
        let (ra, rb) = (self.rec(a), self.rec(b));
        for k in keys {
            let o = ra.sort_val(&k.field).cmp(&rb.sort_val(&k.field));
            let o = if k.desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.cmp(&b)
    }

    /// The order of a slot against a position given by sort values and a slot.
    fn cmp_to(&self, keys: &[SortKey], a: u32, vals: &[SortVal<'_>], slot: u32) -> Ordering {
        let ra = self.rec(a);
        for (k, v) in keys.iter().zip(vals) {
            let o = ra.sort_val(&k.field).cmp(&v.borrowed());
            let o = if k.desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.cmp(&slot)
    }
}

/// A sort value with the first bytes of its text up front: most comparisons of two texts
/// end there, without reading the texts themselves (scattered over the heap).
struct Keyed<'a> {
    head: u64,
    val: SortVal<'a>,
}

impl<'a> Keyed<'a> {
    fn new(val: SortVal<'a>) -> Keyed<'a> {
        let head = match &val {
            SortVal::Str(s) => {
                let mut b = [0u8; 8];
                let n = s.len().min(8);
                b[..n].copy_from_slice(&s.as_bytes()[..n]);
                u64::from_be_bytes(b)
            }
            _ => 0,
        };
        Keyed { head, val }
    }

    fn cmp(&self, other: &Keyed<'_>) -> Ordering {
        match (&self.val, &other.val) {
            (SortVal::Str(_), SortVal::Str(_)) => self
                .head
                .cmp(&other.head)
                .then_with(|| self.val.cmp(&other.val)),
            (a, b) => a.cmp(b),
        }
    }
}

/// Sorts `slots` (given in ascending order) by `keys`, ties in creation order. Each slot's
/// sort values are read once, not at every comparison.
fn sort_slots(r: &Reader<'_>, keys: &[SortKey], slots: &mut [u32]) {
    debug_assert!(slots.is_sorted());
    let dir = |k: &SortKey, o: Ordering| if k.desc { o.reverse() } else { o };
    if let [key] = keys {
        let mut keyed: Vec<(Keyed<'_>, u32)> = slots
            .iter()
            .map(|s| (Keyed::new(r.rec(*s).sort_val(&key.field)), *s))
            .collect();
        keyed.sort_unstable_by(|a, b| dir(key, a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        for (dst, (_, s)) in slots.iter_mut().zip(keyed) {
            *dst = s;
        }
        return;
    }
    // Several keys: the values side by side, one row per slot, and the rows sorted by index
    // (an index order is a slot order, since the slots come sorted).
    let k = keys.len();
    let vals: Vec<Keyed<'_>> = slots
        .iter()
        .flat_map(|s| {
            let rec = r.rec(*s);
            keys.iter()
                .map(move |key| Keyed::new(rec.sort_val(&key.field)))
        })
        .collect();
    let mut rows: Vec<u32> = (0..slots.len() as u32).collect();
    rows.sort_unstable_by(|a, b| {
        let (ra, rb) = (&vals[*a as usize * k..][..k], &vals[*b as usize * k..][..k]);
        keys.iter()
            .zip(ra.iter().zip(rb))
            .map(|(key, (x, y))| dir(key, x.cmp(y)))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.cmp(b))
    });
    let sorted: Vec<u32> = rows.iter().map(|i| slots[*i as usize]).collect();
    slots.copy_from_slice(&sorted);
}

/// `Some(descending)` when `keys` order by creation (no sort, or `created_on` first).
fn creation_order(keys: &[SortKey]) -> Option<bool> {
    match keys.first() {
        None => Some(false),
        Some(k) if k.field == SortField::Field(Field::CreatedOn) => Some(k.desc),
        Some(_) => None,
    }
}

fn keys_depend_on_time(keys: &[SortKey]) -> bool {
    keys.iter()
        .any(|k| k.field == SortField::Field(Field::Expired))
}

/// The first 19 characters of an RFC 3339 time, the part `expired` compares.
fn prefix19(t: &str) -> &str {
    t.get(..19).unwrap_or(t)
}

/// A superset of the slots a filter can match.
enum Plan {
    All,
    Slots(Vec<u32>),
    Range(Range<u32>),
}

impl Plan {
    fn and(self, other: Plan) -> Plan {
        match (self, other) {
            (Plan::All, p) | (p, Plan::All) => p,
            (Plan::Slots(mut a), Plan::Slots(mut b)) => {
                b.sort_unstable();
                a.retain(|s| b.binary_search(s).is_ok());
                Plan::Slots(a)
            }
            (Plan::Slots(mut a), Plan::Range(r)) | (Plan::Range(r), Plan::Slots(mut a)) => {
                a.retain(|s| r.contains(s));
                Plan::Slots(a)
            }
            (Plan::Range(a), Plan::Range(b)) => {
                let start = a.start.max(b.start);
                Plan::Range(start..a.end.min(b.end).max(start))
            }
        }
    }
}

impl Order {
    fn new(keys: &[SortKey], clock: u64) -> Order {
        Order {
            keys: keys.to_vec(),
            slots: Vec::new(),
            built: false,
            dirty: Vec::new(),
            valid_until: None,
            used: clock,
        }
    }

    fn rebuild(&mut self, r: &Reader<'_>) {
        let n = u32::try_from(r.records.len()).unwrap_or(u32::MAX);
        self.slots = (0..n).collect();
        sort_slots(r, &self.keys, &mut self.slots);
        self.dirty = Vec::new();
        self.built = true;
        self.valid_until = keys_depend_on_time(&self.keys)
            .then(|| {
                r.records
                    .iter()
                    .filter_map(|rec| r.strings.get(rec.expiration))
                    .filter(|e| !is_expired(e, r.now))
                    .map(|e| prefix19(e).to_string())
                    .min()
            })
            .flatten();
    }

    /// Takes the dirty slots out and merges them back in at their new places.
    fn repair(&mut self, r: &Reader<'_>) {
        let mut dirty = std::mem::take(&mut self.dirty);
        dirty.sort_unstable();
        dirty.dedup();
        let mut marked = vec![false; r.records.len()];
        for d in &dirty {
            marked[*d as usize] = true;
        }
        self.slots.retain(|s| !marked[*s as usize]);
        sort_slots(r, &self.keys, &mut dirty);
        // Each dirty slot's place is a binary search in what is left: O(d log n) comparisons.
        let mut merged = Vec::with_capacity(self.slots.len() + dirty.len());
        let mut rest = &self.slots[..];
        for d in dirty {
            let at = rest.partition_point(|s| r.cmp(&self.keys, *s, d) == Ordering::Less);
            merged.extend_from_slice(&rest[..at]);
            merged.push(d);
            rest = &rest[at..];
        }
        merged.extend_from_slice(rest);
        self.slots = merged;
    }
}

impl Views {
    /// Notes that the record in `slot` was created or changed.
    pub fn changed(&mut self, slot: u32) {
        // Cached views describe the store before this change; nothing can use them again.
        self.cache.clear();
        self.orders.retain_mut(|o| {
            if !o.built {
                return true;
            }
            o.dirty.push(slot);
            // Past a quarter of the store, a fresh sort on next use is cheaper than merging.
            o.dirty.len() <= o.slots.len() / 4 + 1024
        });
    }

    /// Every slot in the order of `keys`, brought up to date.
    fn order(&mut self, keys: &[SortKey], r: &Reader<'_>) -> &[u32] {
        self.clock += 1;
        let i = match self.orders.iter().position(|o| o.keys == keys) {
            Some(i) => i,
            None => {
                if self.orders.len() >= MAX_ORDERS
                    && let Some(oldest) =
                        (0..self.orders.len()).min_by_key(|i| self.orders[*i].used)
                {
                    self.orders.swap_remove(oldest);
                }
                self.orders.push(Order::new(keys, self.clock));
                self.orders.len() - 1
            }
        };
        let o = &mut self.orders[i];
        o.used = self.clock;
        let clock_passed = o
            .valid_until
            .as_deref()
            .is_some_and(|v| prefix19(r.now) > v);
        if !o.built || clock_passed || (o.valid_until.is_some() && !o.dirty.is_empty()) {
            o.rebuild(r);
        } else if !o.dirty.is_empty() {
            if keys_depend_on_time(keys) {
                o.rebuild(r);
            } else {
                o.repair(r);
            }
        }
        &self.orders[i].slots
    }

    fn remember(&mut self, filter: &str, keys: &[SortKey], slots: Arc<Vec<u32>>) {
        self.cache.push(Cached {
            filter: filter.to_string(),
            keys: keys.to_vec(),
            slots,
            used: self.clock,
        });
        loop {
            let held: usize = self.cache.iter().map(|c| c.slots.len()).sum();
            if self.cache.len() <= 1 || (self.cache.len() <= MAX_VIEWS && held <= VIEW_BUDGET) {
                break;
            }
            if let Some(oldest) = (0..self.cache.len()).min_by_key(|i| self.cache[*i].used) {
                self.cache.swap_remove(oldest);
            }
        }
    }
}

impl Store {
    /// Slots of the indicators matching `filter`, ordered by `keys` with ties in creation
    /// order. Deleted indicators are left out unless the filter names `deleted`.
    /// `filter_text` is the filter as given: it keys the cache.
    pub fn select(
        &mut self,
        filter: Option<&Expr>,
        filter_text: &str,
        keys: &[SortKey],
    ) -> Arc<Vec<u32>> {
        self.views.clock += 1;
        let clock = self.views.clock;
        let cacheable = !filter.is_some_and(Expr::depends_on_time) && !keys_depend_on_time(keys);
        if cacheable
            && let Some(c) = self
                .views
                .cache
                .iter_mut()
                .find(|c| c.filter == filter_text && c.keys == keys)
        {
            c.used = clock;
            return c.slots.clone();
        }
        let slots = Arc::new(self.build(filter, keys));
        if cacheable {
            self.views.remember(filter_text, keys, slots.clone());
        }
        slots
    }

    fn build(&mut self, filter: Option<&Expr>, keys: &[SortKey]) -> Vec<u32> {
        let now = self.peek_now();
        let plan = filter.map_or(Plan::All, |e| self.plan(e));
        let Store {
            records,
            strings,
            views,
            ..
        } = self;
        let r = Reader {
            records,
            strings,
            now: &now,
        };
        let with_deleted = filter.is_some_and(|e| e.mentions(&Field::Deleted));
        let keep = |slot: u32| {
            let rec = r.rec(slot);
            (with_deleted || !rec.rec.deleted) && filter.is_none_or(|e| e.matches(&rec))
        };
        let n = u32::try_from(records.len()).unwrap_or(u32::MAX);
        let in_order = |range: Range<u32>, desc: bool| -> Vec<u32> {
            if desc {
                range.rev().filter(|s| keep(*s)).collect()
            } else {
                range.filter(|s| keep(*s)).collect()
            }
        };
        match (creation_order(keys), plan) {
            (Some(desc), Plan::All) => in_order(0..n, desc),
            (Some(desc), Plan::Range(range)) => in_order(range, desc),
            (Some(desc), Plan::Slots(mut slots)) => {
                slots.sort_unstable();
                slots.dedup();
                slots.retain(|s| keep(*s));
                if desc {
                    slots.reverse();
                }
                slots
            }
            (None, Plan::Slots(mut slots)) => {
                slots.sort_unstable();
                slots.dedup();
                slots.retain(|s| keep(*s));
                sort_slots(&r, keys, &mut slots);
                slots
            }
            (None, Plan::Range(range)) if range.len() <= records.len() / 8 => {
                let mut slots: Vec<u32> = range.filter(|s| keep(*s)).collect();
                sort_slots(&r, keys, &mut slots);
                slots
            }
            (None, plan) => {
                let range = match plan {
                    Plan::Range(range) => range,
                    _ => 0..n,
                };
                views
                    .order(keys, &r)
                    .iter()
                    .copied()
                    .filter(|s| range.contains(s) && keep(*s))
                    .collect()
            }
        }
    }

    /// A superset of the slots `e` can match, from the indexes where it can use them.
    fn plan(&self, e: &Expr) -> Plan {
        let exact = |values: &[Lit]| values.iter().all(Lit::is_exact);
        match e {
            Expr::Cmp {
                field: Field::Id,
                op: Op::Eq,
                values,
            } if exact(values) => Plan::Slots(
                values
                    .iter()
                    .filter_map(|l| self.slot_of_id(&l.lower))
                    .collect(),
            ),
            Expr::Cmp {
                field: Field::Value,
                op: Op::Eq,
                values,
            } if exact(values) => Plan::Slots(
                values
                    .iter()
                    .flat_map(|l| self.slots_with_value(&l.lower))
                    .collect(),
            ),
            Expr::Cmp {
                field: Field::CreatedOn,
                op,
                values,
            } if op.is_ordering() && values.len() == 1 => {
                Plan::Range(self.created_range(*op, &values[0].ordered))
            }
            Expr::And(parts) => parts
                .iter()
                .map(|p| self.plan(p))
                .fold(Plan::All, Plan::and),
            Expr::Or(parts) => {
                let mut all = Vec::new();
                for p in parts {
                    match self.plan(p) {
                        Plan::Slots(s) => all.extend(s),
                        _ => return Plan::All,
                    }
                }
                Plan::Slots(all)
            }
            _ => Plan::All,
        }
    }

    /// The slots whose `created_on` text compares to `lit` as `op` asks: a prefix or a
    /// suffix of the slots, since creation times grow with the slot.
    fn created_range(&self, op: Op, lit: &str) -> Range<u32> {
        let n = u32::try_from(self.records.len()).unwrap_or(u32::MAX);
        let holds = |s: u32| {
            let text = util::rfc3339_micros(self.records[s as usize].created);
            fql::ordering_satisfies(op, text.as_str().cmp(lit))
        };
        // First slot in 0..n where `pred` holds, for a `pred` that is false then true.
        let first = |pred: &dyn Fn(u32) -> bool| {
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if pred(mid) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            lo
        };
        match op {
            Op::Gt | Op::Ge => first(&holds)..n,
            _ => 0..first(&|s| !holds(s)),
        }
    }

    /// The sort values of `slot` under `keys`, to resume after it later.
    pub fn sort_vals(&self, slot: u32, keys: &[SortKey]) -> Vec<SortVal<'static>> {
        let now = self.peek_now();
        let rec = self.rec(slot, &now);
        keys.iter()
            .map(|k| rec.sort_val(&k.field).into_owned())
            .collect()
    }

    /// The position in `view` (ordered by `keys`) of the first slot after the one that had
    /// sort values `vals` and slot `slot`: where a walk left off resumes, even when the
    /// store changed since.
    pub fn position_after(
        &self,
        view: &[u32],
        keys: &[SortKey],
        vals: &[SortVal<'_>],
        slot: u32,
    ) -> usize {
        let now = self.peek_now();
        let r = Reader {
            records: &self.records,
            strings: &self.strings,
            now: &now,
        };
        view.partition_point(|s| r.cmp_to(keys, *s, vals, slot) != Ordering::Greater)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Patch, id_for_slot};
    use super::*;
    use serde_json::json;

    fn key(name: &str, desc: bool) -> SortKey {
        SortKey {
            field: SortField::Field(Field::parse(name).unwrap()),
            desc,
        }
    }

    fn store(n: usize) -> Store {
        let mut s = Store::default();
        for i in 0..n {
            let severity = ["low", "high"][i % 2];
            let obj = json!({"type": "domain", "value": format!("d{}.example", (i * 7) % n),
                "action": "detect", "severity": severity,
                "platforms": ["windows"], "applied_globally": true,
                "tags": [format!("t{}", i % 3)]});
            s.create_one(&obj, "me", None, true).unwrap();
        }
        s
    }

    /// The same query the slow way: test every record, stable sort.
    fn naive(s: &Store, filter: Option<&Expr>, keys: &[SortKey]) -> Vec<u32> {
        let now = s.peek_now();
        let with_deleted = filter.is_some_and(|e| e.mentions(&Field::Deleted));
        let mut out: Vec<u32> = (0..s.slots() as u32)
            .filter(|slot| {
                let rec = s.rec(*slot, &now);
                (with_deleted || !rec.rec.deleted) && filter.is_none_or(|e| e.matches(&rec))
            })
            .collect();
        out.sort_by(|a, b| {
            let (ra, rb) = (s.rec(*a, &now), s.rec(*b, &now));
            keys.iter()
                .map(|k| {
                    let o = ra.sort_val(&k.field).cmp(&rb.sort_val(&k.field));
                    if k.desc { o.reverse() } else { o }
                })
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
        out
    }

    fn check(s: &mut Store, filter: &str, keys: &[SortKey]) {
        let e = (!filter.is_empty()).then(|| fql::parse(filter).unwrap());
        let got = s.select(e.as_ref(), filter, keys);
        assert_eq!(*got, naive(s, e.as_ref(), keys), "{filter} {keys:?}");
    }

    #[test]
    fn views_match_a_full_scan_through_writes() {
        let mut s = store(300);
        let sorts = [
            vec![],
            vec![key("created_on", true)],
            vec![key("value", false)],
            vec![key("severity", true), key("value", false)],
            vec![key("tags", false), key("created_on", true)],
        ];
        let created = s.to_json(150, &s.peek_now())["created_on"]
            .as_str()
            .unwrap()
            .to_string();
        let filters = [
            String::new(),
            "tags:'t1'".to_string(),
            "value:['d3.example','D5.EXAMPLE','nope']".to_string(),
            format!("created_on:>='{created}'+severity:'high'"),
            format!("created_on:<'{created}',value:'d9.example'"),
            format!("id:'{}'", id_for_slot(42)),
            "deleted:true".to_string(),
            "value:'d1*'".to_string(),
        ];
        for round in 0..3 {
            for f in &filters {
                for k in &sorts {
                    check(&mut s, f, k);
                    check(&mut s, f, k); // the cached answer too
                }
            }
            // Writes between rounds: dirty slots merge back into the kept orders.
            let ids: Vec<String> = (0..20).map(|i| id_for_slot(i * 11 + round)).collect();
            s.delete(&ids, "me");
            let change = json!({"tags": ["t1"], "severity": "critical"});
            let patch = Patch::from_json(change.as_object().unwrap()).unwrap();
            for i in 0..10 {
                let _ = s.update(&id_for_slot(i * 13 + 1), &patch, "you");
            }
            let obj = json!({"type": "domain", "value": format!("new{round}.example"),
                "action": "detect", "severity": "low", "platforms": ["mac"], "applied_globally": true});
            s.create_one(&obj, "me", None, false).unwrap();
        }
    }

    #[test]
    fn resume_positions_survive_changes() {
        let mut s = store(50);
        let keys = vec![key("value", false)];
        let view = s.select(None, "", &keys);
        let tenth = view[9];
        let vals = s.sort_vals(tenth, &keys);
        assert_eq!(s.position_after(&view, &keys, &vals, tenth), 10);
        // Delete the record the cursor points at: the walk still resumes after its place.
        s.delete(&[id_for_slot(tenth)], "me");
        let view = s.select(None, "", &keys);
        assert_eq!(s.position_after(&view, &keys, &vals, tenth), 9);
        assert_eq!(view.len(), 49);
    }

    #[test]
    fn created_on_bounds_are_slot_ranges() {
        let s = store(100);
        let t = util::rfc3339_micros(s.records[40].created);
        assert_eq!(s.created_range(Op::Ge, &t), 40..100);
        assert_eq!(s.created_range(Op::Gt, &t), 41..100);
        assert_eq!(s.created_range(Op::Lt, &t), 0..40);
        assert_eq!(s.created_range(Op::Le, &t), 0..41);
        assert_eq!(s.created_range(Op::Gt, "2000"), 0..100);
        assert_eq!(s.created_range(Op::Lt, "2000"), 0..0);
    }
}
