/// The database schema, as an ordered list of migrations. `PRAGMA user_version` records how
/// many have been applied; a database is brought up to date when it is opened.
///
/// Costs are INTEGER nanos (10⁻⁹ of the billing currency); instants are INTEGER seconds since
/// the epoch, UTC; months are `YYYY-MM` text. Repeated values are interned into dimension
/// tables. Tags are rows of a tag set with the raw key kept exactly as the provider wrote it.
enum Schema {
  /// Each entry migrates from version `index` to `index + 1`.
  static let migrations: [String] = [
    version1, version2, version3, version4, version5, version6, version7, version8, version9,
    version10, version11, version12, version13, version14,
  ]

  /// The version whose migration adds `resources.resource_key`; the keys of resources stored
  /// before it are computed in Swift right after it runs (``ResourceKey`` is not SQL).
  static let resourceKeyVersion = 4

  /// The version a fully migrated database has.
  static var currentVersion: Int { migrations.count }

  static let version1 = """
    CREATE TABLE imports (
      id INTEGER PRIMARY KEY,
      source TEXT NOT NULL,               -- which delivery stream: replaced per source and month
      path TEXT NOT NULL,                 -- the file (or manifest) as named on the command line
      sha256 TEXT NOT NULL,               -- of the file, or of the manifest and its files in order
      format TEXT NOT NULL,               -- focus | aws-cur
      format_version TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      first_line_id INTEGER,              -- cost_lines rowids of this import, contiguous
      last_line_id INTEGER,
      imported_at TEXT NOT NULL,
      replaced_by INTEGER REFERENCES imports(id)   -- set when a newer delivery superseded it
    ) STRICT;
    CREATE INDEX imports_by_sha256 ON imports(sha256);
    CREATE INDEX imports_by_source ON imports(source);

    -- The files of an import (one, or all the report files of a manifest).
    CREATE TABLE import_files (
      import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      byte_count INTEGER NOT NULL,
      row_count INTEGER NOT NULL,
      PRIMARY KEY (import_id, path)
    ) STRICT, WITHOUT ROWID;

    -- The months an import delivered, with the totals read from the file, per currency.
    CREATE TABLE import_totals (
      import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      billing_period TEXT NOT NULL,
      billing_currency TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      billed_cost INTEGER NOT NULL,
      effective_cost INTEGER NOT NULL,
      list_cost INTEGER NOT NULL,
      contracted_cost INTEGER NOT NULL,
      PRIMARY KEY (import_id, billing_period, billing_currency)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE accounts (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      account_id TEXT NOT NULL,
      name TEXT,
      UNIQUE (provider, account_id)
    ) STRICT;

    CREATE TABLE services (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      name TEXT NOT NULL,
      category TEXT,
      UNIQUE (provider, name)
    ) STRICT;

    CREATE TABLE regions (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      name TEXT NOT NULL,
      UNIQUE (provider, name)
    ) STRICT;

    CREATE TABLE skus (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      sku TEXT NOT NULL,
      UNIQUE (provider, sku)
    ) STRICT;

    CREATE TABLE resources (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      resource_type TEXT,
      UNIQUE (provider, resource_id)
    ) STRICT;

    CREATE TABLE commitment_discounts (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      commitment_id TEXT NOT NULL,        -- reservation or savings plan ARN / id
      type TEXT,
      UNIQUE (provider, commitment_id)
    ) STRICT;

    -- A distinct set of tags; `signature` is the sorted key/value pairs, so equal sets are
    -- stored once. The empty set has signature ''.
    CREATE TABLE tag_sets (
      id INTEGER PRIMARY KEY,
      signature TEXT NOT NULL UNIQUE
    ) STRICT;

    CREATE TABLE tag_set_items (
      tag_set_id INTEGER NOT NULL REFERENCES tag_sets(id),
      raw_key TEXT NOT NULL,              -- exactly as written: `user:Team` and `user:team` differ
      raw_value TEXT NOT NULL,
      PRIMARY KEY (tag_set_id, raw_key)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE cost_lines (
      id INTEGER PRIMARY KEY,
      import_id INTEGER NOT NULL REFERENCES imports(id),
      billing_period TEXT NOT NULL,       -- YYYY-MM of billing_period_start
      provider TEXT NOT NULL,
      billing_account INTEGER NOT NULL REFERENCES accounts(id),
      sub_account INTEGER REFERENCES accounts(id),
      billing_period_start INTEGER NOT NULL,
      charge_period_start INTEGER NOT NULL,
      charge_period_end INTEGER NOT NULL,
      charge_category TEXT NOT NULL,      -- Usage | Purchase | Tax | Credit | Adjustment
      charge_class TEXT,
      service INTEGER REFERENCES services(id),
      region INTEGER REFERENCES regions(id),
      resource INTEGER REFERENCES resources(id),
      sku INTEGER REFERENCES skus(id),
      pricing_category TEXT,
      commitment_discount INTEGER REFERENCES commitment_discounts(id),
      commitment_discount_status TEXT,
      consumed_quantity REAL,
      consumed_unit TEXT,
      billing_currency TEXT NOT NULL,
      billed_cost INTEGER NOT NULL,
      effective_cost INTEGER NOT NULL,
      list_cost INTEGER NOT NULL,
      contracted_cost INTEGER NOT NULL,
      tag_set INTEGER NOT NULL REFERENCES tag_sets(id),
      x_line_item_type TEXT,
      x_usage_type TEXT,
      x_operation TEXT,
      x_instance_type TEXT,
      x_platform TEXT,
      x_tenancy TEXT,
      x_normalization_factor REAL,
      x_normalized_usage_amount REAL,
      x_commitment_rate INTEGER,          -- nanos per unit (savings plan rate)
      x_list_unit_price INTEGER           -- nanos per unit (public on-demand rate)
    ) STRICT;
    -- Rows of one import arrive in one key range, so this index grows at its end.
    CREATE INDEX cost_lines_by_period ON cost_lines(billing_period, import_id);
    """

  /// The policy stage's resolution of each month's tags: per distinct tag set and usage
  /// account, the canonical value of every canonical key, whether it is usable, and where it
  /// came from. The allocation stage reads a line's team here.
  static let version2 = """
    CREATE TABLE tag_resolutions (
      billing_period TEXT NOT NULL,
      tag_set INTEGER NOT NULL REFERENCES tag_sets(id),
      account INTEGER NOT NULL REFERENCES accounts(id),  -- the line's sub_account, else billing_account
      key TEXT NOT NULL,                  -- canonical key
      value TEXT NOT NULL,                -- canonical value
      status TEXT NOT NULL,               -- valid | invalid | conflict
      suggestion TEXT,                    -- nearest allowed value of an invalid one
      source TEXT NOT NULL,               -- bill | account_default | inventory
      raw_keys TEXT NOT NULL,             -- the raw keys folded in, as written, joined by U+001F
      PRIMARY KEY (billing_period, tag_set, account, key)
    ) STRICT, WITHOUT ROWID;
    """

  /// Runs of `tally nightly`: what each did, and the figures it ended with, so that the next
  /// run can say what changed.
  static let version3 = """
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      started_at TEXT NOT NULL,
      ended_at TEXT,
      status TEXT NOT NULL,               -- running | ok | partial | failed
      files_imported INTEGER NOT NULL DEFAULT 0,
      files_replaced INTEGER NOT NULL DEFAULT 0,
      files_skipped INTEGER NOT NULL DEFAULT 0,
      files_failed INTEGER NOT NULL DEFAULT 0,
      lines INTEGER NOT NULL DEFAULT 0,
      warnings INTEGER NOT NULL DEFAULT 0,
      months TEXT NOT NULL DEFAULT '',    -- months processed, comma-separated
      message TEXT
    ) STRICT;

    CREATE TABLE run_deliveries (
      run_id INTEGER NOT NULL REFERENCES runs(id),
      path TEXT NOT NULL,
      status TEXT NOT NULL,               -- imported | replaced | skipped | failed
      import_id INTEGER,
      lines INTEGER NOT NULL,
      message TEXT,
      PRIMARY KEY (run_id, path)
    ) STRICT, WITHOUT ROWID;

    -- Figures a run ended with: month totals, team totals, compliance. Amounts in nanos,
    -- ratios in parts per million.
    CREATE TABLE run_figures (
      run_id INTEGER NOT NULL REFERENCES runs(id),
      kind TEXT NOT NULL,                 -- billed | effective | team | compliance
      billing_period TEXT NOT NULL,
      currency TEXT NOT NULL,             -- '' for ratios
      name TEXT NOT NULL,                 -- the team for kind team, else ''
      value INTEGER NOT NULL,
      PRIMARY KEY (run_id, kind, billing_period, currency, name)
    ) STRICT, WITHOUT ROWID;
    """

  /// Resource identity, inventories, where each tag came from, and the pairing of Azure's
  /// actual and amortised datasets (docs/formats.md).
  static let version4 = """
    -- The canonical key of a billed resource (ResourceKey): aws:i-0abc, azure:/subscriptions/…
    -- (lower-cased), gcp://compute.googleapis.com/…; inventory entries carry the same key.
    ALTER TABLE resources ADD COLUMN resource_key TEXT;
    CREATE INDEX resources_by_key ON resources(resource_key);

    -- Azure cost details come as two datasets, actual and amortized, with the same columns.
    -- `dataset` says which one an import is (NULL: other formats, or an Azure file that shows
    -- no commitment rows, whose actual and amortized costs are the same); `pairing_key` names
    -- the billing account whose two datasets pair (docs/formats.md, "Azure").
    ALTER TABLE imports ADD COLUMN dataset TEXT;
    ALTER TABLE imports ADD COLUMN pairing_key TEXT;
    CREATE INDEX imports_by_pairing_key ON imports(pairing_key) WHERE pairing_key IS NOT NULL;

    -- A resource inventory as imported: a snapshot replaces the previous snapshot of its source.
    CREATE TABLE inventory_snapshots (
      id INTEGER PRIMARY KEY,
      source TEXT NOT NULL,               -- e.g. inventory:aws-get-resources:111122223333/us-east-1
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      format TEXT NOT NULL,               -- aws-get-resources | aws-config | azure-resource-graph | …
      format_version TEXT NOT NULL,
      resource_count INTEGER NOT NULL,
      pagination_token TEXT,              -- set when the listing says more pages follow
      imported_at TEXT NOT NULL,
      replaced_by INTEGER REFERENCES inventory_snapshots(id)
    ) STRICT;
    CREATE INDEX inventory_snapshots_by_sha256 ON inventory_snapshots(sha256);
    CREATE INDEX inventory_snapshots_by_source ON inventory_snapshots(source);

    -- The resources of the current snapshots (a replaced snapshot's rows are deleted).
    CREATE TABLE inventory_resources (
      snapshot_id INTEGER NOT NULL REFERENCES inventory_snapshots(id),
      resource_key TEXT NOT NULL,
      provider TEXT NOT NULL,             -- aws | azure | gcp | as the generic CSV names it
      resource_id TEXT NOT NULL,          -- as the inventory wrote it (ARN, ARM id, asset name)
      account TEXT,
      region TEXT,
      resource_type TEXT,
      tag_set INTEGER NOT NULL REFERENCES tag_sets(id),
      PRIMARY KEY (snapshot_id, resource_key)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX inventory_resources_by_key ON inventory_resources(resource_key, snapshot_id);

    -- The tags the inventories give each resource key: from the newest snapshot that lists it.
    -- `match_key` is how a tag key is compared with a bill's (Schema.tagMatchKey).
    CREATE VIEW inventory_tags AS
    SELECT r.resource_key, i.raw_key, i.raw_value, \(tagMatchKey("i.raw_key")) AS match_key,
      r.snapshot_id
    FROM inventory_resources r JOIN tag_set_items i ON i.tag_set_id = r.tag_set
    WHERE r.snapshot_id = (
      SELECT max(n.snapshot_id) FROM inventory_resources n WHERE n.resource_key = r.resource_key);

    -- The tags of cost lines, with where each came from: every (tag_set, resource) pair that
    -- cost lines use, the bill's own tags (source 'bill'), and the inventory tags of the line's
    -- resource whose key the bill lacks (source 'inventory'). A line's tags are the rows with
    -- its tag_set and resource (`resource IS NULL` for lines without a resource).
    CREATE VIEW line_tags AS
    WITH pairs AS (SELECT DISTINCT tag_set, resource FROM cost_lines)
    SELECT p.tag_set, p.resource, i.raw_key, i.raw_value, 'bill' AS source
    FROM pairs p JOIN tag_set_items i ON i.tag_set_id = p.tag_set
    UNION ALL
    SELECT p.tag_set, p.resource, t.raw_key, t.raw_value, 'inventory' AS source
    FROM pairs p
    JOIN resources r ON r.id = p.resource
    JOIN inventory_tags t ON t.resource_key = r.resource_key
    WHERE NOT EXISTS (
      SELECT 1 FROM tag_set_items b
      WHERE b.tag_set_id = p.tag_set AND \(tagMatchKey("b.raw_key")) = t.match_key);
    """

  /// SQL for the key under which a bill's tag and an inventory's tag are the same tag: the raw
  /// key without the `user:` (legacy CUR) or `user_` (CUR 2.0) prefix, lower-cased, without
  /// spaces and the separators AWS allows in keys (`_ - . : / = + @`). So `user:Cost Center`,
  /// `user_cost_center` and `cost-center` meet, while the raw keys stay as written.
  static func tagMatchKey(_ column: String) -> String {
    var expression =
      "CASE WHEN lower(substr(\(column), 1, 5)) IN ('user:', 'user_') "
      + "THEN substr(\(column), 6) ELSE \(column) END"
    for separator in [" ", "_", "-", ".", ":", "/", "=", "+", "@"] {
      expression = "replace(\(expression), '\(separator)', '')"
    }
    return "lower(\(expression))"
  }

  /// The allocation stage's results per month: every allocated amount with the step that
  /// produced it (its lineage), so that `tally team`, `teams`, `explain` and the reports read
  /// them instead of recomputing. Each month is replaced as a whole by `tally allocate`.
  static let version5 = """
    -- One row per allocated month: what it was computed from.
    CREATE TABLE allocation_runs (
      billing_period TEXT PRIMARY KEY,
      config_fingerprint TEXT NOT NULL,   -- digest of the policy and allocation sections
      data_fingerprint TEXT NOT NULL,     -- the month's current imports
      by_key TEXT NOT NULL,               -- allocation.by
      default_basis TEXT NOT NULL,        -- allocation.cost
      unallocated TEXT NOT NULL,          -- the unallocated bucket's name
      reporting_currency TEXT,
      allocated_at TEXT NOT NULL
    ) STRICT;

    -- Per currency, cost basis, team and step: for every currency and basis the rows of a month
    -- add up exactly to its lines' costs.
    CREATE TABLE allocations (
      billing_period TEXT NOT NULL,
      currency TEXT NOT NULL,
      basis TEXT NOT NULL,                -- effective | billed | list
      team TEXT,                          -- NULL: the unallocated bucket
      step TEXT NOT NULL,                 -- tag | resource | rule | shared | unallocated
      source TEXT NOT NULL,               -- tag origin, rule or pool name; '' when none
      account INTEGER REFERENCES accounts(id),   -- NULL for pool shares
      service INTEGER REFERENCES services(id),
      tag_status TEXT,                    -- missing | invalid | conflict: no valid team tag
      amount INTEGER NOT NULL,            -- nanos
      method TEXT,                        -- pool shares: proportional | even | fixed | even_fallback
      weight INTEGER,                     -- pool shares: the team's weight …
      weight_total INTEGER,               -- … of the weights' sum
      pool_total INTEGER                  -- … of the pool's amount
    ) STRICT;
    CREATE INDEX allocations_by_team ON allocations(billing_period, basis, team);

    -- Resources whose cost reached a team without a valid team tag (untagged or non-compliant
    -- spend the team carries).
    CREATE TABLE allocation_resources (
      billing_period TEXT NOT NULL,
      currency TEXT NOT NULL,
      basis TEXT NOT NULL,
      team TEXT NOT NULL,
      resource INTEGER NOT NULL REFERENCES resources(id),
      tag_status TEXT NOT NULL,
      step TEXT NOT NULL,                 -- rule | resource
      source TEXT NOT NULL,
      amount INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX allocation_resources_by_team ON allocation_resources(billing_period, basis, team);

    -- What each shared pool held, by account and service.
    CREATE TABLE allocation_pool_parts (
      billing_period TEXT NOT NULL,
      currency TEXT NOT NULL,
      basis TEXT NOT NULL,
      pool TEXT NOT NULL,
      account INTEGER NOT NULL REFERENCES accounts(id),
      service INTEGER REFERENCES services(id),
      amount INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX allocation_pool_parts_by_pool ON allocation_pool_parts(billing_period, basis, pool);

    -- The rules and pools as they were when the month was allocated, in words.
    CREATE TABLE allocation_methods (
      billing_period TEXT NOT NULL,
      kind TEXT NOT NULL,                 -- rule | pool
      name TEXT NOT NULL,
      position INTEGER NOT NULL,          -- order in the config
      detail TEXT NOT NULL,
      PRIMARY KEY (billing_period, kind, name)
    ) STRICT, WITHOUT ROWID;
    """

  /// The policy stage's results per month: compliance by cost and by resource (overall, per
  /// key, team, account and service), the non-compliant spend by resource, the raw key
  /// spellings behind each canonical key, and the invalid values, conflicts and miscased keys
  /// found. Amounts are per billing currency; `_billed` and `_effective` are the two cost bases.
  static let version6 = """
    ALTER TABLE tag_resolutions ADD COLUMN raw_values TEXT NOT NULL DEFAULT '';   -- as raw_keys
    ALTER TABLE tag_resolutions ADD COLUMN miscased_keys TEXT NOT NULL DEFAULT ''; -- U+001F-joined

    -- Each import's lines summed per month and per everything the policy can test: evaluating
    -- a month reads these groups (tens of thousands) rather than its lines (millions). Groups
    -- of a month an import no longer delivers (superseded) are dropped when next read.
    CREATE TABLE line_groups (
      import_id INTEGER NOT NULL REFERENCES imports(id),
      billing_period TEXT NOT NULL,
      tag_set INTEGER NOT NULL REFERENCES tag_sets(id),
      account INTEGER NOT NULL REFERENCES accounts(id),         -- coalesce(sub_account, billing_account)
      billing_account INTEGER NOT NULL REFERENCES accounts(id),
      resource INTEGER REFERENCES resources(id),
      service INTEGER REFERENCES services(id),
      region INTEGER REFERENCES regions(id),
      billing_currency TEXT NOT NULL,
      provider TEXT NOT NULL,
      charge_category TEXT NOT NULL,
      line_type TEXT,                     -- x_line_item_type
      lines INTEGER NOT NULL,
      billed_cost INTEGER NOT NULL,
      effective_cost INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX line_groups_by_period ON line_groups(billing_period, import_id);

    -- The months whose results are current: evaluated with the policy of this fingerprint, the
    -- month's newest import and the newest inventory snapshot. Evaluating a month deletes the rows of the months after it,
    -- whose first-seen months depend on it.
    CREATE TABLE policy_runs (
      billing_period TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,          -- SHA-256 of the policy settings evaluated
      last_import INTEGER NOT NULL,       -- the month's newest import at the time
      last_inventory INTEGER NOT NULL,    -- the newest inventory snapshot at the time
      lines INTEGER NOT NULL,
      tag_groups INTEGER NOT NULL,        -- distinct tag set and account pairs
      evaluations INTEGER NOT NULL        -- distinct groups judged
    ) STRICT;

    CREATE TABLE policy_compliance (
      billing_period TEXT NOT NULL,
      billing_currency TEXT NOT NULL,
      dimension TEXT NOT NULL,            -- overall | team | account | service
      name TEXT NOT NULL,                 -- '' for overall; else the team, account id or service
      key TEXT NOT NULL,                  -- '' for the line's verdict over every key; else one key
      lines INTEGER NOT NULL,
      compliant_billed INTEGER NOT NULL,
      compliant_effective INTEGER NOT NULL,
      noncompliant_billed INTEGER NOT NULL,
      noncompliant_effective INTEGER NOT NULL,
      exempt_billed INTEGER NOT NULL,     -- matched policy.exempt
      exempt_effective INTEGER NOT NULL,
      out_of_scope_billed INTEGER NOT NULL,    -- outside the key's scope (per key only)
      out_of_scope_effective INTEGER NOT NULL,
      inherited_billed INTEGER NOT NULL,  -- of compliant: thanks to account default tags
      inherited_effective INTEGER NOT NULL,
      inventory_billed INTEGER NOT NULL,  -- of compliant: thanks to inventory tags
      inventory_effective INTEGER NOT NULL,
      resources INTEGER NOT NULL,         -- distinct resources judged
      noncompliant_resources INTEGER NOT NULL,
      PRIMARY KEY (billing_period, billing_currency, dimension, name, key)
    ) STRICT, WITHOUT ROWID;

    -- Non-compliant spend per resource; lines without a resource id are gathered per account
    -- and service with resource NULL.
    CREATE TABLE policy_resources (
      billing_period TEXT NOT NULL,
      billing_currency TEXT NOT NULL,
      resource INTEGER REFERENCES resources(id),
      account INTEGER NOT NULL REFERENCES accounts(id),
      service INTEGER REFERENCES services(id),
      team TEXT NOT NULL,                 -- the valid value of allocation.by, or ''
      lines INTEGER NOT NULL,
      noncompliant_billed INTEGER NOT NULL,
      noncompliant_effective INTEGER NOT NULL,
      first_noncompliant TEXT NOT NULL,   -- YYYY-MM: the earliest month evaluated non-compliant
      problems TEXT NOT NULL              -- key, problem, value, suggestion: U+001F between
                                          -- fields, U+001E between problems
    ) STRICT;
    CREATE INDEX policy_resources_by_period ON policy_resources(billing_period, billing_currency);
    CREATE INDEX policy_resources_by_resource ON policy_resources(resource, billing_period);

    -- The canonicalisation report: which raw keys were folded into each canonical key.
    CREATE TABLE policy_key_variants (
      billing_period TEXT NOT NULL,
      billing_currency TEXT NOT NULL,
      key TEXT NOT NULL,                  -- canonical key
      raw_key TEXT NOT NULL,              -- as written in the bill
      lines INTEGER NOT NULL,
      billed INTEGER NOT NULL,
      effective INTEGER NOT NULL,
      PRIMARY KEY (billing_period, billing_currency, key, raw_key)
    ) STRICT, WITHOUT ROWID;

    -- Invalid values (with the near-miss suggestion), conflicts and miscased keys.
    CREATE TABLE policy_findings (
      billing_period TEXT NOT NULL,
      billing_currency TEXT NOT NULL,
      key TEXT NOT NULL,
      kind TEXT NOT NULL,                 -- invalid | conflict | miscased
      detail TEXT NOT NULL,               -- the value; `Team=web, team=ops`; the raw keys
      suggestion TEXT NOT NULL,           -- '' when none
      lines INTEGER NOT NULL,
      resources INTEGER NOT NULL,
      billed INTEGER NOT NULL,
      effective INTEGER NOT NULL,
      PRIMARY KEY (billing_period, billing_currency, key, kind, detail)
    ) STRICT, WITHOUT ROWID;
    """

  /// What the commitments stage needs to know about the commitment behind a line: its FOCUS
  /// category (Spend: savings plans and spend-based CUDs; Usage: reservations and resource
  /// CUDs), when it ends, and how it was bought, as the export writes them.
  static let version7 = """
    ALTER TABLE cost_lines ADD COLUMN commitment_discount_category TEXT;  -- Spend | Usage
    ALTER TABLE cost_lines ADD COLUMN x_commitment_end INTEGER;   -- seconds since the epoch
    ALTER TABLE cost_lines ADD COLUMN x_purchase_term TEXT;        -- e.g. 1yr, 3yr
    ALTER TABLE cost_lines ADD COLUMN x_payment_option TEXT;       -- e.g. No Upfront
    ALTER TABLE cost_lines ADD COLUMN x_offering_type TEXT;        -- e.g. ComputeSavingsPlans, standard
    """

  /// Line groups carry the list cost too, so that allocation reads the groups (tens of
  /// thousands) instead of the month's lines (millions). Groups recorded before are dropped;
  /// each import's are recorded again, with list cost, when its month is next read.
  static let version8 = """
    ALTER TABLE line_groups ADD COLUMN list_cost INTEGER NOT NULL DEFAULT 0;
    DELETE FROM line_groups;
    """

  /// The commitments stage's results per month (`tally nightly`, and `tally report` when they
  /// are missing or stale): the recommendations sized on the look-back window ending with the
  /// month, each with its savings curve, and the commitments owned in the month with their
  /// utilisation and unused cost, and the expiry calendar. Amounts are nanos of the row's
  /// currency; ratios and unit counts are REAL (they are not money). Each month is replaced as
  /// a whole, in one transaction.
  static let version9 = """
    -- One row per month with stored results: what they were computed from.
    CREATE TABLE commitment_runs (
      billing_period TEXT PRIMARY KEY,
      config_fingerprint TEXT NOT NULL,   -- digest of the commitments settings
      data_fingerprint TEXT NOT NULL,     -- the current imports of the look-back's months
      lookback_days INTEGER NOT NULL,
      term TEXT NOT NULL,                 -- 1yr | 3yr
      payment TEXT NOT NULL,              -- no-upfront | partial-upfront | all-upfront
      expiring_within_days INTEGER NOT NULL,
      notes TEXT NOT NULL                 -- why something was not recommended: U+001E between notes
    ) STRICT;

    CREATE TABLE commitment_recommendations (
      billing_period TEXT NOT NULL,
      position INTEGER NOT NULL,          -- the recommender's order: reservations first
      kind TEXT NOT NULL,                 -- savings-plan | flexible-cud | reserved-instance
      provider TEXT NOT NULL,
      currency TEXT NOT NULL,
      term TEXT NOT NULL,
      payment TEXT NOT NULL,
      discount REAL NOT NULL,
      discount_source TEXT NOT NULL,
      discount_note TEXT NOT NULL,
      hourly_commitment INTEGER,          -- nanos per hour; NULL for reservations
      region TEXT,                        -- reservations only, to smallest_instances
      family TEXT,
      platform TEXT,
      tenancy TEXT,
      size_flexible INTEGER,
      normalized_units REAL,
      instance_type TEXT,
      instances REAL,
      smallest_instance_type TEXT,
      smallest_instances REAL,
      monthly_savings INTEGER NOT NULL,
      monthly_on_demand_cost INTEGER NOT NULL,
      monthly_commitment_cost INTEGER NOT NULL,
      savings_rate REAL NOT NULL,
      utilization REAL NOT NULL,
      coverage REAL NOT NULL,
      break_even_months REAL,             -- NULL: never
      upfront_cost INTEGER NOT NULL,
      recurring_monthly_cost INTEGER NOT NULL,
      window_start INTEGER NOT NULL,      -- seconds since the epoch
      window_end INTEGER NOT NULL,
      basis_start INTEGER NOT NULL,
      basis_end INTEGER NOT NULL,
      guard_window_commitment INTEGER,    -- stale-data guard, when it lowered the level
      guard_recent_commitment INTEGER,
      guard_window_units REAL,
      guard_recent_units REAL,
      guard_reason TEXT,
      PRIMARY KEY (billing_period, position)
    ) STRICT, WITHOUT ROWID;

    -- Net savings at 50 % … 150 % of each recommended level.
    CREATE TABLE commitment_curve_points (
      billing_period TEXT NOT NULL,
      recommendation INTEGER NOT NULL,    -- commitment_recommendations.position
      position INTEGER NOT NULL,
      fraction REAL NOT NULL,
      hourly_commitment INTEGER,
      normalized_units REAL,
      monthly_savings INTEGER NOT NULL,
      utilization REAL NOT NULL,
      coverage REAL NOT NULL,
      PRIMARY KEY (billing_period, recommendation, position)
    ) STRICT, WITHOUT ROWID;

    -- The commitments with lines in the month.
    CREATE TABLE owned_commitments (
      billing_period TEXT NOT NULL,
      position INTEGER NOT NULL,          -- soonest end first
      commitment_id TEXT NOT NULL,        -- the provider's id (ARN…)
      provider TEXT NOT NULL,
      currency TEXT NOT NULL,
      type TEXT NOT NULL,
      category TEXT NOT NULL,
      term TEXT NOT NULL,
      payment TEXT NOT NULL,
      offering TEXT NOT NULL,
      end_at INTEGER,                     -- seconds since the epoch; NULL when the bill does not say
      used_cost INTEGER NOT NULL,
      unused_cost INTEGER NOT NULL,
      covered_on_demand_cost INTEGER NOT NULL,
      net_savings INTEGER NOT NULL,
      utilization REAL NOT NULL,
      coverage REAL NOT NULL,
      PRIMARY KEY (billing_period, position)
    ) STRICT, WITHOUT ROWID;

    -- The months of the twelve from the owned month in which commitments end.
    CREATE TABLE commitment_expiries (
      billing_period TEXT NOT NULL,
      ending_in TEXT NOT NULL,            -- YYYY-MM
      currency TEXT NOT NULL,
      commitments TEXT NOT NULL,          -- ids, U+001F between them
      monthly_cost INTEGER NOT NULL,
      covered_on_demand_cost INTEGER NOT NULL,
      PRIMARY KEY (billing_period, ending_in, currency)
    ) STRICT, WITHOUT ROWID;
    """

  /// The unallocated bucket by resource: what `allocations` holds as team NULL, broken down to
  /// the resource (lines without a resource id per account and service; a pool with no team to
  /// split over as the pool), written by the allocation stage with the rest of its results so
  /// reports can name the resources nobody owns. Allocations stored before this table existed
  /// are marked stale (their data fingerprint cleared), so the next run allocates them again.
  static let version10 = """
    CREATE TABLE allocation_unallocated (
      billing_period TEXT NOT NULL,
      currency TEXT NOT NULL,
      basis TEXT NOT NULL,
      resource INTEGER REFERENCES resources(id),  -- NULL: lines without one, or a pool
      account INTEGER REFERENCES accounts(id),    -- NULL: a pool left unallocated
      service INTEGER REFERENCES services(id),
      source TEXT NOT NULL,               -- as allocations.source: '', 'credits' or the pool
      amount INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX allocation_unallocated_by_period ON allocation_unallocated(billing_period);
    UPDATE allocation_runs SET data_fingerprint = '';
    """

  /// Cost lines lose their eighteen columns of provider detail (charge class, pricing and
  /// commitment attributes, AWS line item type, usage type, operation, instance type, …) to
  /// `line_details`, where each distinct combination is stored once; a line keeps its
  /// combination's id in `detail`. A bill repeats a few hundred combinations over millions of
  /// lines, and the narrower row makes an import's inserts less than half as expensive
  /// (docs/performance.md). `dense_rank` numbers the combinations of the existing lines (NULLs
  /// are equal there, as they are in `DISTINCT`). Renaming the new table with
  /// `legacy_alter_table` on leaves the `line_tags` view, which names `cost_lines`, as it is.
  /// The view `detailed_cost_lines` shows the lines with their detail columns as before.
  static let version11 = """
    CREATE TABLE line_details (
      id INTEGER PRIMARY KEY,
      charge_class TEXT,
      pricing_category TEXT,
      commitment_discount_status TEXT,
      commitment_discount_category TEXT,
      consumed_unit TEXT,
      x_line_item_type TEXT,
      x_usage_type TEXT,
      x_operation TEXT,
      x_instance_type TEXT,
      x_platform TEXT,
      x_tenancy TEXT,
      x_normalization_factor REAL,
      x_commitment_rate INTEGER,
      x_list_unit_price INTEGER,
      x_commitment_end INTEGER,
      x_purchase_term TEXT,
      x_payment_option TEXT,
      x_offering_type TEXT
    ) STRICT;

    CREATE TABLE narrowed_cost_lines (
      id INTEGER PRIMARY KEY,
      import_id INTEGER NOT NULL REFERENCES imports(id),
      billing_period TEXT NOT NULL,
      provider TEXT NOT NULL,
      billing_account INTEGER NOT NULL REFERENCES accounts(id),
      sub_account INTEGER REFERENCES accounts(id),
      billing_period_start INTEGER NOT NULL,
      charge_period_start INTEGER NOT NULL,
      charge_period_end INTEGER NOT NULL,
      charge_category TEXT NOT NULL,
      service INTEGER REFERENCES services(id),
      region INTEGER REFERENCES regions(id),
      resource INTEGER REFERENCES resources(id),
      sku INTEGER REFERENCES skus(id),
      commitment_discount INTEGER REFERENCES commitment_discounts(id),
      consumed_quantity REAL,
      billing_currency TEXT NOT NULL,
      billed_cost INTEGER NOT NULL,
      effective_cost INTEGER NOT NULL,
      list_cost INTEGER NOT NULL,
      contracted_cost INTEGER NOT NULL,
      tag_set INTEGER NOT NULL REFERENCES tag_sets(id),
      detail INTEGER NOT NULL REFERENCES line_details(id),
      x_normalized_usage_amount REAL
    ) STRICT;

    INSERT INTO line_details
    SELECT DISTINCT dense_rank() OVER details, charge_class, pricing_category,
      commitment_discount_status, commitment_discount_category, consumed_unit, x_line_item_type,
      x_usage_type, x_operation, x_instance_type, x_platform, x_tenancy, x_normalization_factor,
      x_commitment_rate, x_list_unit_price, x_commitment_end, x_purchase_term, x_payment_option,
      x_offering_type
    FROM cost_lines
    WINDOW details AS (ORDER BY charge_class, pricing_category, commitment_discount_status,
      commitment_discount_category, consumed_unit, x_line_item_type, x_usage_type, x_operation,
      x_instance_type, x_platform, x_tenancy, x_normalization_factor, x_commitment_rate,
      x_list_unit_price, x_commitment_end, x_purchase_term, x_payment_option, x_offering_type);

    INSERT INTO narrowed_cost_lines
    SELECT id, import_id, billing_period, provider, billing_account, sub_account,
      billing_period_start, charge_period_start, charge_period_end, charge_category, service, region,
      resource, sku, commitment_discount, consumed_quantity, billing_currency, billed_cost,
      effective_cost, list_cost, contracted_cost, tag_set, dense_rank() OVER details,
      x_normalized_usage_amount
    FROM cost_lines
    WINDOW details AS (ORDER BY charge_class, pricing_category, commitment_discount_status,
      commitment_discount_category, consumed_unit, x_line_item_type, x_usage_type, x_operation,
      x_instance_type, x_platform, x_tenancy, x_normalization_factor, x_commitment_rate,
      x_list_unit_price, x_commitment_end, x_purchase_term, x_payment_option, x_offering_type)
    ORDER BY id;

    DROP TABLE cost_lines;
    PRAGMA legacy_alter_table = ON;
    ALTER TABLE narrowed_cost_lines RENAME TO cost_lines;
    PRAGMA legacy_alter_table = OFF;
    CREATE INDEX cost_lines_by_period ON cost_lines(billing_period, import_id);

    -- Each cost line with its detail, as the lines were before: for readers of provider detail
    -- (the commitments stage) and for people querying the database.
    CREATE VIEW detailed_cost_lines AS
    SELECT l.*, d.charge_class, d.pricing_category, d.commitment_discount_status,
      d.commitment_discount_category, d.consumed_unit, d.x_line_item_type, d.x_usage_type,
      d.x_operation, d.x_instance_type, d.x_platform, d.x_tenancy, d.x_normalization_factor,
      d.x_commitment_rate, d.x_list_unit_price, d.x_commitment_end, d.x_purchase_term,
      d.x_payment_option, d.x_offering_type
    FROM cost_lines l CROSS JOIN line_details d ON d.id = l.detail;
    """

  /// `cost_lines` loses its index on (billing_period, import_id): maintaining it took about a
  /// tenth of an import's CPU time, and every reader finds an import's lines by their rowid
  /// range (`Store.linesOfImportInMonth`).
  static let version12 = """
    DROP INDEX cost_lines_by_period;
    """

  /// Four more columns leave `cost_lines`: the provider, charge category and billing currency
  /// join the line's detail in `line_details` (a bill repeats a handful of them), and
  /// `billing_period_start`, which no reader used, goes (`billing_period` says the same). The
  /// narrower row takes another tenth off an import's inserts. The details are numbered again
  /// over the old detail and the three columns; `detailed_cost_lines` shows the lines with all
  /// their columns as before, except `billing_period_start`.
  static let version13 = """
    CREATE TABLE new_line_details (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      charge_category TEXT NOT NULL,      -- Usage | Purchase | Tax | Credit | Adjustment
      billing_currency TEXT NOT NULL,
      charge_class TEXT,
      pricing_category TEXT,
      commitment_discount_status TEXT,
      commitment_discount_category TEXT,
      consumed_unit TEXT,
      x_line_item_type TEXT,
      x_usage_type TEXT,
      x_operation TEXT,
      x_instance_type TEXT,
      x_platform TEXT,
      x_tenancy TEXT,
      x_normalization_factor REAL,
      x_commitment_rate INTEGER,
      x_list_unit_price INTEGER,
      x_commitment_end INTEGER,
      x_purchase_term TEXT,
      x_payment_option TEXT,
      x_offering_type TEXT
    ) STRICT;

    CREATE TABLE new_cost_lines (
      id INTEGER PRIMARY KEY,
      import_id INTEGER NOT NULL REFERENCES imports(id),
      billing_period TEXT NOT NULL,       -- YYYY-MM of the billing period's start
      billing_account INTEGER NOT NULL REFERENCES accounts(id),
      sub_account INTEGER REFERENCES accounts(id),
      charge_period_start INTEGER NOT NULL,
      charge_period_end INTEGER NOT NULL,
      service INTEGER REFERENCES services(id),
      region INTEGER REFERENCES regions(id),
      resource INTEGER REFERENCES resources(id),
      sku INTEGER REFERENCES skus(id),
      commitment_discount INTEGER REFERENCES commitment_discounts(id),
      consumed_quantity REAL,
      billed_cost INTEGER NOT NULL,
      effective_cost INTEGER NOT NULL,
      list_cost INTEGER NOT NULL,
      contracted_cost INTEGER NOT NULL,
      tag_set INTEGER NOT NULL REFERENCES tag_sets(id),
      detail INTEGER NOT NULL REFERENCES line_details(id),
      x_normalized_usage_amount REAL
    ) STRICT;

    INSERT INTO new_line_details
    SELECT DISTINCT dense_rank() OVER details, l.provider, l.charge_category, l.billing_currency,
      d.charge_class, d.pricing_category, d.commitment_discount_status,
      d.commitment_discount_category, d.consumed_unit, d.x_line_item_type, d.x_usage_type,
      d.x_operation, d.x_instance_type, d.x_platform, d.x_tenancy, d.x_normalization_factor,
      d.x_commitment_rate, d.x_list_unit_price, d.x_commitment_end, d.x_purchase_term,
      d.x_payment_option, d.x_offering_type
    FROM cost_lines l JOIN line_details d ON d.id = l.detail
    WINDOW details AS (ORDER BY l.detail, l.provider, l.charge_category, l.billing_currency);

    INSERT INTO new_cost_lines
    SELECT id, import_id, billing_period, billing_account, sub_account, charge_period_start,
      charge_period_end, service, region, resource, sku, commitment_discount, consumed_quantity,
      billed_cost, effective_cost, list_cost, contracted_cost, tag_set, dense_rank() OVER details,
      x_normalized_usage_amount
    FROM cost_lines
    WINDOW details AS (ORDER BY detail, provider, charge_category, billing_currency)
    ORDER BY id;

    DROP VIEW detailed_cost_lines;
    DROP TABLE cost_lines;
    DROP TABLE line_details;
    PRAGMA legacy_alter_table = ON;
    ALTER TABLE new_line_details RENAME TO line_details;
    ALTER TABLE new_cost_lines RENAME TO cost_lines;
    PRAGMA legacy_alter_table = OFF;

    -- Each cost line with all its columns: for readers of provider detail (the commitments
    -- stage, the report's daily costs) and for people querying the database.
    CREATE VIEW detailed_cost_lines AS
    SELECT l.*, d.provider, d.charge_category, d.billing_currency, d.charge_class, d.pricing_category, d.commitment_discount_status,
      d.commitment_discount_category, d.consumed_unit, d.x_line_item_type, d.x_usage_type,
      d.x_operation, d.x_instance_type, d.x_platform, d.x_tenancy, d.x_normalization_factor,
      d.x_commitment_rate, d.x_list_unit_price, d.x_commitment_end, d.x_purchase_term,
      d.x_payment_option, d.x_offering_type
    FROM cost_lines l CROSS JOIN line_details d ON d.id = l.detail;
    """

  /// `billing_period_start`, one of FOCUS's columns, which migration 13 dropped from
  /// `cost_lines`, comes back in the line's detail: a bill has one per month, so it costs a
  /// line nothing. Lines stored while it was missing get the start of their `billing_period`
  /// month, UTC (what every export tally reads gives). Details are numbered again over the old
  /// detail and the month.
  static let version14 = """
    CREATE TEMP TABLE detail_months AS
    SELECT DISTINCT detail, billing_period, dense_rank() OVER (ORDER BY detail, billing_period) AS id
    FROM cost_lines;

    CREATE TABLE new_line_details (
      id INTEGER PRIMARY KEY,
      provider TEXT NOT NULL,
      charge_category TEXT NOT NULL,
      billing_currency TEXT NOT NULL,
      billing_period_start INTEGER NOT NULL,  -- seconds since the epoch
      charge_class TEXT,
      pricing_category TEXT,
      commitment_discount_status TEXT,
      commitment_discount_category TEXT,
      consumed_unit TEXT,
      x_line_item_type TEXT,
      x_usage_type TEXT,
      x_operation TEXT,
      x_instance_type TEXT,
      x_platform TEXT,
      x_tenancy TEXT,
      x_normalization_factor REAL,
      x_commitment_rate INTEGER,
      x_list_unit_price INTEGER,
      x_commitment_end INTEGER,
      x_purchase_term TEXT,
      x_payment_option TEXT,
      x_offering_type TEXT
    ) STRICT;
    INSERT INTO new_line_details
    SELECT m.id, d.provider, d.charge_category, d.billing_currency,
      unixepoch(m.billing_period || '-01'), d.charge_class, d.pricing_category,
      d.commitment_discount_status, d.commitment_discount_category, d.consumed_unit,
      d.x_line_item_type, d.x_usage_type, d.x_operation, d.x_instance_type, d.x_platform,
      d.x_tenancy, d.x_normalization_factor, d.x_commitment_rate, d.x_list_unit_price,
      d.x_commitment_end, d.x_purchase_term, d.x_payment_option, d.x_offering_type
    FROM detail_months m JOIN line_details d ON d.id = m.detail;
    CREATE INDEX temp.detail_months_by_key ON detail_months(detail, billing_period);
    UPDATE cost_lines SET detail = (
      SELECT m.id FROM detail_months m
      WHERE m.detail = cost_lines.detail AND m.billing_period = cost_lines.billing_period);
    DROP TABLE detail_months;

    DROP VIEW detailed_cost_lines;
    DROP TABLE line_details;
    PRAGMA legacy_alter_table = ON;
    ALTER TABLE new_line_details RENAME TO line_details;
    PRAGMA legacy_alter_table = OFF;

    -- Each cost line with all its columns: for readers of provider detail (the commitments
    -- stage) and for people querying the database.
    CREATE VIEW detailed_cost_lines AS
    SELECT l.*, d.provider, d.charge_category, d.billing_currency, d.billing_period_start,
      d.charge_class, d.pricing_category, d.commitment_discount_status,
      d.commitment_discount_category, d.consumed_unit, d.x_line_item_type, d.x_usage_type,
      d.x_operation, d.x_instance_type, d.x_platform, d.x_tenancy, d.x_normalization_factor,
      d.x_commitment_rate, d.x_list_unit_price, d.x_commitment_end, d.x_purchase_term,
      d.x_payment_option, d.x_offering_type
    FROM cost_lines l CROSS JOIN line_details d ON d.id = l.detail;
    """
}
