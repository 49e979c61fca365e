#!/usr/bin/env python3
"""Build planguard's embedded price catalog (crates/cost/catalog/catalog.json).

Reads the shared pricing inputs (`aws.json`, `gcp.json`, `azure.json`, see their README.md) and
writes the project's own catalog format, documented in crates/cost/CATALOG.md.

    python3 scripts/build-catalog.py [--input ../shared/pricing] [--output crates/cost/catalog/catalog.json]

The output is deterministic: same input, same bytes (sorted keys, fixed float
formatting, no timestamps). Standard library only.
"""

import argparse
import json
import os
import sys

SCHEMA_VERSION = 1
KEY_SEP = "|"
ALL = "*"  # region key: the price applies in every region
AWS_FALLBACK = "us-east-1"
GCP_FALLBACK = "us-central1"


def die(msg):
    sys.stderr.write("build-catalog: %s\n" % msg)
    sys.exit(1)


def num(x):
    """Round derived values so that float noise never reaches the file."""
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        die("not a number: %r" % (x,))
    return round(float(x), 10)


def key(*parts):
    for p in parts:
        if KEY_SEP in p:
            die("key part contains %r: %r" % (KEY_SEP, p))
    return KEY_SEP.join(parts)


def table(unit, source, key_attrs, regions, *, fallback=None, aliases=None,
          description=None, tier_unit=None):
    t = {"unit": unit, "source": source, "key": list(key_attrs), "regions": regions}
    if fallback:
        t["fallback_region"] = fallback
    if aliases:
        t["aliases"] = aliases
    if description:
        t["description"] = description
    if tier_unit:
        t["tier_unit"] = tier_unit
    return t


def block(prices=None, price=None, confidence=None, source=None, key_sources=None):
    b = {}
    if prices is not None:
        b["prices"] = prices
    if price is not None:
        b["price"] = price
    if confidence:
        b["confidence"] = confidence
    if source:
        b["source"] = source
    if key_sources:
        b["key_sources"] = key_sources
    return b


def single(value, confidence=None):
    """A keyless region block, or None when the input has no value."""
    if value is None:
        return None
    return block(price=value, confidence=confidence)


def tiers(rows, from_field, price_field="price"):
    return [{"from": num(r[from_field]), "price": num(r[price_field])} for r in rows]


def drop_empty(regions):
    return {r: b for r, b in regions.items() if b is not None and (b.get("prices") or "price" in b)}


def copy_source(src):
    out = {}
    for k_in, k_out in (("what", "what"), ("repo", "repository"), ("commit", "commit"),
                        ("path", "path"), ("data_date", "data_date"), ("license", "licence")):
        if k_in in src:
            out[k_out] = src[k_in]
    return out


# --------------------------------------------------------------------------- AWS

def build_aws(a):
    out = {}
    regions = a["regions"]

    # EC2 ------------------------------------------------------------------
    ec2 = a["ec2"]
    filled = set(ec2["karpenter_filled_us_east_1"])
    ec2_regions = {}
    for r, types in ec2["prices"].items():
        prices = {key(t, "linux", "shared"): num(p) for t, p in types.items() if p and p > 0}
        ks = {}
        if r == "us-east-1":
            ks = {key(t, "linux", "shared"): "karpenter_2026_07" for t in filled if t in types}
        ec2_regions[r] = block(prices=prices, key_sources=ks)
    x = a["ec2_extras"]
    out["ec2"] = {
        "instance_hour": table(
            "hour", "vantage_opszero_2024_04", ["instance_type", "os", "tenancy"], ec2_regions,
            fallback=AWS_FALLBACK,
            description="On-demand EC2 instance, Linux/UNIX, shared tenancy. Types launched "
                        "after 2024-04 exist only for us-east-1 (source karpenter_2026_07)."),
        "cpu_credit_vcpu_hour": table(
            "vCPU-hour", x["source"], ["os"],
            {ALL: block(prices={"linux": num(x["t_unlimited_cpu_credit_per_vcpu_hour_linux"]),
                                "windows": num(x["t_unlimited_cpu_credit_per_vcpu_hour_windows"])})},
            description="T-family unlimited mode surplus CPU credits."),
    }
    # Windows (license included): vantage's 2022-07 pages for 15 regions; eu-west-1 types they
    # lack from terracost's 2023-02 eu-west-1 extract (full precision). Same table, os = windows.
    win = a["ec2_windows"]
    eu_win = a["ec2_os_eu_west_1"]["prices"]["eu-west-1"]["windows"]
    for r, types in win["prices"].items():
        blk = ec2_regions.setdefault(r, block(prices={}))
        ks = blk.setdefault("key_sources", {})
        for t, v in types.items():
            if v and v > 0:
                blk["prices"][key(t, "windows", "shared")] = num(v)
                ks[key(t, "windows", "shared")] = "vantage_ec2_pages_2022_07"
        if r == "eu-west-1":
            for t, v in eu_win.items():
                k = key(t, "windows", "shared")
                if v and v > 0 and k not in blk["prices"]:
                    blk["prices"][k] = num(v)
                    ks[k] = "terracost_2023_02"
    out["ec2"]["instance_hour"]["description"] += (
        " os = windows: License Included (source vantage_ec2_pages_2022_07, 2022-07 types; "
        "eu-west-1 gaps from terracost_2023_02).")
    # Dedicated Hosts, per host family. eu-west-1 only: no fallback.
    dh = a["ec2_dedicated_host"]
    out["ec2"]["dedicated_host_hour"] = table(
        "hour", "terracost_2023_02", ["instance_family"],
        {r: block(prices={f: num(v) for f, v in fams.items() if v and v > 0}) for r, fams in dh["prices"].items()},
        description="On-demand Dedicated Host per host-hour, by instance family (the instances on it are included).")
    # Hourly EBS-optimized fee of previous-generation types launched with ebs_optimized = true.
    # The input has eu-west-1 only: no fallback, another region's fee is not assumed.
    eo = a["ec2_ebs_optimized"]
    out["ec2"]["ebs_optimized_hour"] = table(
        "hour", "terracost_2023_02", ["instance_type"],
        {r: block(prices={t: num(v) for t, v in types.items()}) for r, types in eo["prices"].items()},
        description="Hourly fee added to the instance price of previous-generation types with "
                    "ebs_optimized = true; types not listed include EBS optimization at no charge.")

    # EBS ------------------------------------------------------------------
    e = a["ebs"]
    free_iops = e["gp3_free_iops"]
    free_tp = e["gp3_free_throughput_mibps"]
    st, iops, tp, io, snap = {}, {}, {}, {}, {}
    for r, p in e["prices"].items():
        c = p.get("confidence")
        st[r] = block(prices={v: num(x) for v, x in p["storage_gb_month"].items()}, confidence=c)
        ip = {}
        if "gp3_iops_month" in p:
            ip["gp3"] = [{"from": 0.0, "price": 0.0},
                         {"from": num(free_iops), "price": num(p["gp3_iops_month"])}]
        if "io1_iops_month" in p:
            ip["io1"] = [{"from": 0.0, "price": num(p["io1_iops_month"])}]
        if "io2_iops_month_tiers" in p:
            ip["io2"] = tiers(p["io2_iops_month_tiers"], "from_iops")
        iops[r] = block(prices=ip, confidence=c)
        if "gp3_throughput_mibps_month" in p:
            tp[r] = block(prices={"gp3": [{"from": 0.0, "price": 0.0},
                                          {"from": num(free_tp),
                                           "price": num(p["gp3_throughput_mibps_month"])}]},
                          confidence=c)
        if "standard_io_per_million" in p:
            io[r] = block(prices={"standard": num(p["standard_io_per_million"])}, confidence=c)
        sp = {}
        if "snapshot_gb_month" in p:
            sp["standard"] = num(p["snapshot_gb_month"])
        if "snapshot_archive_gb_month" in p:
            sp["archive"] = num(p["snapshot_archive_gb_month"])
        snap[r] = block(prices=sp, confidence=c)
    src = e["source"]
    out["ebs"] = {
        "storage": table("GB-month", src, ["volume_type"], drop_empty(st), fallback=AWS_FALLBACK),
        "iops": table("IOPS-month", src, ["volume_type"], drop_empty(iops), fallback=AWS_FALLBACK,
                      tier_unit="IOPS",
                      description="Marginal tiers over provisioned IOPS; gp3 includes %d IOPS free." % free_iops),
        "throughput": table("MiBps-month", src, ["volume_type"], drop_empty(tp), fallback=AWS_FALLBACK,
                            tier_unit="MiBps",
                            description="Marginal tiers over provisioned throughput; gp3 includes %d MiB/s free." % free_tp),
        "io_requests": table("1M requests", src, ["volume_type"], drop_empty(io), fallback=AWS_FALLBACK,
                             description="I/O requests of magnetic (standard) volumes."),
        "snapshot": table("GB-month", src, ["storage_tier"], drop_empty(snap), fallback=AWS_FALLBACK),
    }

    # RDS ------------------------------------------------------------------
    rds = a["rds"]
    ri = rds["instance"]
    inst = {}
    for r, engines in ri["prices"].items():
        prices = {}
        for eng, classes in engines.items():
            for cls, p in classes.items():
                for dep, field in (("single-az", "single_az"), ("multi-az", "multi_az")):
                    v = p.get(field)
                    if v is not None and v > 0:
                        prices[key(eng, cls, dep)] = num(v)
        inst[r] = block(prices=prices)
    # SQL Server and Oracle (licence included or BYOL): the rds_licensed section; its keys
    # (sqlserver-ex/-web/-se/-ee, oracle-se2, oracle-se2-byol, oracle-ee-byol) become engines of
    # the same table. Multi-AZ exists for eu-west-1 only (null elsewhere: omitted, unknown).
    lic = a["rds_licensed"]
    for r, engines in lic["prices"].items():
        blk = inst.setdefault(r, block(prices={}))
        ks = blk.setdefault("key_sources", {})
        src = "terracost_2023_02" if r == "eu-west-1" else "vantage_rds_2021_08"
        for eng, classes in engines.items():
            for cls, p in classes.items():
                for dep, field in (("single-az", "single_az"), ("multi-az", "multi_az")):
                    v = p.get(field)
                    if v is not None and v > 0:
                        blk["prices"][key(eng, cls, dep)] = num(v)
                        ks[key(eng, cls, dep)] = src
    engine_aliases = dict(ri.get("engine_aliases", {}))
    engine_aliases.setdefault("postgresql", "postgres")
    rs = rds["storage"]
    storage, piops, rtp, rio, backup = {}, {}, {}, {}, {}
    for r, p in rs["prices"].items():
        c = p.get("confidence")
        mult = p.get("multi_az_multiplier", 2.0)
        sp, ip, tpp, iop = {}, {}, {}, {}
        for stype in ("gp2", "gp3", "io1", "io2", "standard"):
            v = p.get(stype + "_gb_month")
            if v is not None:
                sp[key(stype, "single-az")] = num(v)
                sp[key(stype, "multi-az")] = num(v * mult)
            v = p.get(stype + "_iops_month")
            if v is not None:
                ip[key(stype, "single-az")] = num(v)
                ip[key(stype, "multi-az")] = num(v * mult)
        v = p.get("gp3_throughput_mibps_month")
        if v is not None:
            tpp[key("gp3", "single-az")] = num(v)
            tpp[key("gp3", "multi-az")] = num(v * mult)
        v = p.get("standard_io_per_million")
        if v is not None:
            iop["standard"] = num(v)
        storage[r] = block(prices=sp, confidence=c)
        piops[r] = block(prices=ip, confidence=c)
        rtp[r] = block(prices=tpp, confidence=c)
        rio[r] = block(prices=iop, confidence=c)
        backup[r] = single(num(p.get("backup_gb_month")), c)
    storage_aliases = {"storage_type": {"magnetic": "standard"}}
    ext = rds["extended_support"]
    out["rds"] = {
        "instance_hour": table(
            "hour", ri["source"], ["engine", "instance_class", "deployment"], inst,
            fallback=AWS_FALLBACK, aliases={"engine": engine_aliases},
            description="On-demand RDS DB instance (MySQL/MariaDB/PostgreSQL, no licence fee); "
                        "deployment is single-az or multi-az."),
        "storage": table("GB-month", rs["source"], ["storage_type", "deployment"], drop_empty(storage),
                         fallback=AWS_FALLBACK, aliases=storage_aliases,
                         description="Multi-AZ = single-AZ x multi_az_multiplier of the input (2)."),
        "provisioned_iops": table(
            "IOPS-month", rs["source"], ["storage_type", "deployment"], drop_empty(piops),
            fallback=AWS_FALLBACK, aliases=storage_aliases,
            description="gp3: per IOPS above the included baseline (3000 below 400 GB, 12000 at "
                        "400 GB and above for MySQL/MariaDB/PostgreSQL); io1/io2: every provisioned IOPS."),
        "throughput": table(
            "MiBps-month", rs["source"], ["storage_type", "deployment"], drop_empty(rtp),
            fallback=AWS_FALLBACK, aliases=storage_aliases,
            description="gp3: per MiB/s above the included baseline (125 below 400 GB, 500 at 400 GB and above)."),
        "io_requests": table("1M requests", rs["source"], ["storage_type"], drop_empty(rio),
                             fallback=AWS_FALLBACK, aliases=storage_aliases),
        "backup_storage": table("GB-month", rs["source"], [], drop_empty(backup), fallback=AWS_FALLBACK,
                                description="Backup storage beyond the free amount (100% of DB storage)."),
        "extended_support_vcpu_hour": table(
            "vCPU-hour", ext["source"], ["period"],
            {ext["region"]: block(prices={"year1-2": num(ext["per_vcpu_hour_year1_2"]),
                                          "year3": num(ext["per_vcpu_hour_year3"])})},
            fallback=AWS_FALLBACK),
    }
    # Performance Insights long-term retention (beyond the free 7 days), the input's newer
    # price dimension: the first paid month and each additional month, per vCPU. eu-west-1 only,
    # no fallback.
    pi = a["rds_performance_insights"]
    out["rds"]["performance_insights_vcpu_month"] = table(
        "vCPU-month", "terracost_2023_02", ["retention_month"],
        {r: block(prices={"first": num(p["ltr_first_month_vcpu_month"]),
                          "additional": num(p["ltr_additional_month_vcpu_month"])})
         for r, p in pi["prices"].items()},
        description="Long-term retention: per vCPU per month; 'first' is the first paid month, "
                    "'additional' each further retained month.")

    # Aurora ---------------------------------------------------------------
    ai = rds["aurora_instance"]
    au = rds["aurora_usage"]
    mult = au["io_optimized_instance_multiplier"]
    ainst = {}
    for r, engines in ai["prices"].items():
        prices = {}
        for eng, classes in engines.items():
            for cls, v in classes.items():
                if v is None or v <= 0:
                    continue
                prices[key(eng, cls, "standard")] = num(v)
                prices[key(eng, cls, "io-optimized")] = num(v * mult)
        ainst[r] = block(prices=prices)
    ac = au.get("confidence")
    ar = au["region"]
    out["aurora"] = {
        "instance_hour": table(
            "hour", ai["source"], ["engine", "instance_class", "storage_config"], ainst,
            fallback=AWS_FALLBACK,
            aliases={"engine": dict(ai.get("engine_aliases", {})),
                     "storage_config": {"aurora": "standard", "aurora-iopt1": "io-optimized"}},
            description="Provisioned Aurora instance. io-optimized = standard x %s (the input's "
                        "io_optimized_instance_multiplier). Classes as of 2021." % mult),
        "storage": table("GB-month", au["source"], ["storage_config"],
                         {ar: block(prices={"standard": num(au["storage_gb_month"]),
                                            "io-optimized": num(au["io_optimized_storage_gb_month"])},
                                    confidence=ac)},
                         fallback=AWS_FALLBACK,
                         aliases={"storage_config": {"aurora": "standard", "aurora-iopt1": "io-optimized"}}),
        "io_requests": table("1M requests", au["source"], [], {ar: single(num(au["io_per_million"]), ac)},
                             fallback=AWS_FALLBACK, description="Aurora Standard only."),
        "serverless_v2_acu_hour": table("ACU-hour", au["source"], [],
                                        {ar: single(num(au["serverless_v2_acu_hour"]), ac)},
                                        fallback=AWS_FALLBACK),
        "backtrack": table("1M change records", au["source"], [],
                           {ar: single(num(au["backtrack_per_million_change_records"]), ac)},
                           fallback=AWS_FALLBACK),
    }

    # ElastiCache ----------------------------------------------------------
    ec = a["elasticache"]
    nodes = {}
    for r, engines in ec["prices"].items():
        prices = {}
        for eng, types in engines.items():
            for t, v in types.items():
                if v is not None and v > 0:
                    prices[key(eng, t)] = num(v)
        nodes[r] = block(prices=prices)
    # Memcached node types coroot lacks (elasticache_extra, vantage 2022-02).
    ex = a["elasticache_extra"]
    for r, engines in ex["prices"].items():
        blk = nodes.setdefault(r, block(prices={}))
        ks = blk.setdefault("key_sources", {})
        for eng, types in engines.items():
            for t, v in types.items():
                if v is not None and v > 0 and key(eng, t) not in blk["prices"]:
                    blk["prices"][key(eng, t)] = num(v)
                    ks[key(eng, t)] = "vantage_cache_2022_02"
    # Valkey: AWS's list price rule, Redis OSS node price x 0.8 (elasticache_extra.rules.valkey,
    # manual_list_price, since 2024-10), for every Redis node price.
    vk = ex["rules"]["valkey"]
    mult = vk["node_price_multiplier_vs_redis"]
    for r, blk in nodes.items():
        ks = blk.setdefault("key_sources", {})
        for k, v in list(blk["prices"].items()):
            eng, t = k.split(KEY_SEP)
            if eng == "redis":
                blk["prices"][key("valkey", t)] = num(v * mult)
                ks[key("valkey", t)] = vk["source"]
    out["elasticache"] = {
        "node_hour": table("hour", ec["source"], ["engine", "node_type"], nodes, fallback=AWS_FALLBACK,
                           description="On-demand node. Valkey = Redis x 0.8 (AWS's list price rule, "
                                       "manual_list_price); serverless is not in the source."),
        "backup_storage": table("GB-month", ec["source"], [],
                                {AWS_FALLBACK: single(num(ec["backup_gb_month"]))}, fallback=AWS_FALLBACK),
    }

    # NAT gateway ------------------------------------------------------------
    n = a["nat_gateway"]
    out["nat_gateway"] = {
        "hour": table("hour", n["source"], [], {r: single(num(p["hour"]), p.get("confidence"))
                                                 for r, p in n["prices"].items()}, fallback=AWS_FALLBACK),
        "data_processed": table("GB", n["source"], [],
                                {r: single(num(p["per_gb_processed"]), p.get("confidence"))
                                 for r, p in n["prices"].items()}, fallback=AWS_FALLBACK),
    }

    # Load balancers ---------------------------------------------------------
    lb = a["load_balancer"]
    kinds = (("application", "alb"), ("network", "nlb"), ("gateway", "gwlb"), ("classic", "clb"))
    cu_fields = {"application": "alb_lcu_hour", "network": "nlb_nlcu_hour", "gateway": "gwlb_glcu_hour"}
    lbh, lbc, lbd = {}, {}, {}
    for r, p in lb["prices"].items():
        c = p.get("confidence")
        lbh[r] = block(prices={k: num(p[s + "_hour"]) for k, s in kinds if s + "_hour" in p}, confidence=c)
        lbc[r] = block(prices={k: num(p[f]) for k, f in cu_fields.items() if f in p}, confidence=c)
        lbd[r] = block(prices={"classic": num(p["clb_per_gb_processed"])} if "clb_per_gb_processed" in p else {},
                       confidence=c)
    kind_aliases = {"kind": {s: k for k, s in kinds}}
    out["load_balancer"] = {
        "hour": table("hour", lb["source"], ["kind"], drop_empty(lbh), fallback=AWS_FALLBACK,
                      aliases=kind_aliases),
        "capacity_unit_hour": table("LCU-hour", lb["source"], ["kind"], drop_empty(lbc),
                                    fallback=AWS_FALLBACK, aliases=kind_aliases,
                                    description="ALB LCU, NLB NLCU, GWLB GLCU."),
        "data_processed": table("GB", lb["source"], ["kind"], drop_empty(lbd), fallback=AWS_FALLBACK,
                                aliases=kind_aliases, description="Classic load balancer only."),
    }

    # EKS ------------------------------------------------------------------
    k = a["eks"]
    f = k["fargate_us_east_1"]
    out["eks"] = {
        "cluster_hour": table("hour", k["source"], ["support"],
                              {ALL: block(prices={"standard": num(k["cluster_hour"]),
                                                  "extended": num(k["cluster_hour_extended_support"])})}),
        "fargate_vcpu_hour": table("vCPU-hour", k["source"], [], {"us-east-1": single(num(f["vcpu_hour"]))},
                                   fallback=AWS_FALLBACK),
        "fargate_gb_hour": table("GB-hour", k["source"], [], {"us-east-1": single(num(f["gb_hour"]))},
                                 fallback=AWS_FALLBACK),
        "fargate_ephemeral_storage_gb_hour": table(
            "GB-hour", k["source"], [], {"us-east-1": single(num(f["ephemeral_storage_gb_hour_above_20gb"]))},
            fallback=AWS_FALLBACK, description="Ephemeral storage above the included 20 GB."),
    }

    # Public IPv4 ------------------------------------------------------------
    ip = a["public_ipv4"]
    out["public_ipv4"] = {
        "hour": table("hour", ip["source"], [], {ALL: single(num(ip["hour"]))},
                      description="Every public IPv4 address, attached or idle (since 2024-02-01)."),
    }

    # Lambda ---------------------------------------------------------------
    lm = a["lambda"]
    lr = lm["region"]
    out["lambda"] = {
        "requests": table("1M requests", lm["source"], [], {lr: single(num(lm["requests_per_million"]))},
                          fallback=AWS_FALLBACK),
        "duration": table("GB-second", lm["source"], ["architecture"],
                          {lr: block(prices={"x86_64": tiers(lm["duration_gb_second_x86_tiers"], "from_gb_s"),
                                             "arm64": tiers(lm["duration_gb_second_arm64_tiers"], "from_gb_s")})},
                          fallback=AWS_FALLBACK, tier_unit="GB-second",
                          aliases={"architecture": {"x86": "x86_64", "amd64": "x86_64", "aarch64": "arm64"}},
                          description="Marginal tiers over monthly GB-seconds (account-wide in reality)."),
        "ephemeral_storage": table("GB-second", lm["source"], [],
                                   {lr: single(num(lm["ephemeral_storage_gb_second"]))}, fallback=AWS_FALLBACK,
                                   description="Ephemeral storage above the included 512 MB."),
        "provisioned_concurrency": table("GB-second", lm["source"], [],
                                         {lr: single(num(lm["provisioned_concurrency_gb_second"]))},
                                         fallback=AWS_FALLBACK),
    }

    # S3 -------------------------------------------------------------------
    s3 = a["s3"]
    sr = s3["region"]
    sg = s3["storage_gb_month"]
    cls_fields = (("standard_ia", "standard_ia"), ("onezone_ia", "onezone_ia"),
                  ("glacier_ir", "glacier_instant_retrieval"), ("glacier", "glacier_flexible_retrieval"),
                  ("deep_archive", "glacier_deep_archive"),
                  ("intelligent_tiering", "intelligent_tiering_frequent"),
                  ("intelligent_tiering_infrequent", "intelligent_tiering_infrequent"),
                  ("intelligent_tiering_archive_instant", "intelligent_tiering_archive_instant"))
    s3st = {sr: {"standard": tiers(sg["standard_tiers"], "from_gb")}}
    for c, fld in cls_fields:
        s3st[sr][c] = [{"from": 0.0, "price": num(sg[fld])}]
    for r, v in s3["standard_storage_gb_month_by_region"].items():
        if r != sr:
            s3st.setdefault(r, {})["standard"] = [{"from": 0.0, "price": num(v)}]
    s3_aliases = {"STANDARD": "standard", "STANDARD_IA": "standard_ia", "ONEZONE_IA": "onezone_ia",
                  "GLACIER_IR": "glacier_ir", "GLACIER": "glacier", "DEEP_ARCHIVE": "deep_archive",
                  "INTELLIGENT_TIERING": "intelligent_tiering", "REDUCED_REDUNDANCY": "standard"}
    rq = s3["requests_per_1000"]
    out["s3"] = {
        "storage": table("GB-month", s3["source"], ["storage_class"],
                         {r: block(prices=p) for r, p in s3st.items()}, fallback=AWS_FALLBACK,
                         tier_unit="GB", aliases={"storage_class": s3_aliases},
                         description="Marginal tiers over stored GB. Outside us-east-1 only STANDARD has "
                                     "a regional price, and only its first tier."),
        "requests": table("1K requests", s3["source"], ["storage_class", "request_tier"],
                          {sr: block(prices={
                              key("standard", "tier1"): num(rq["standard_put_copy_post_list"]),
                              key("standard", "tier2"): num(rq["standard_get_select_other"]),
                              key("standard_ia", "tier1"): num(rq["standard_ia_put"]),
                              key("standard_ia", "tier2"): num(rq["standard_ia_get"])})},
                          fallback=AWS_FALLBACK, aliases={"storage_class": s3_aliases},
                          description="tier1 = PUT/COPY/POST/LIST, tier2 = GET/SELECT/other."),
        "intelligent_tiering_monitoring": table(
            "1K objects-month", s3["source"], [],
            {sr: single(num(s3["intelligent_tiering_monitoring_per_1000_objects"]))}, fallback=AWS_FALLBACK),
        "retrieval": table("GB", s3["source"], ["storage_class"],
                           {sr: block(prices={"standard_ia": num(s3["standard_ia_retrieval_gb"])})},
                           fallback=AWS_FALLBACK, aliases={"storage_class": s3_aliases}),
    }

    # DynamoDB -------------------------------------------------------------
    d = a["dynamodb"]
    # README: "us-east-1 (us-east-2 and us-west-2 are identical)".
    dregions = [d["region"], "us-east-2", "us-west-2"]

    def dyn(unit, field, desc=None):
        return table(unit, d["source"], [], {r: single(num(d[field])) for r in dregions},
                     fallback=AWS_FALLBACK, description=desc)
    out["dynamodb"] = {
        "on_demand_write_requests": dyn("1M write request units", "on_demand_write_per_million"),
        "on_demand_read_requests": dyn("1M read request units", "on_demand_read_per_million"),
        "provisioned_wcu_hour": dyn("WCU-hour", "provisioned_wcu_hour"),
        "provisioned_rcu_hour": dyn("RCU-hour", "provisioned_rcu_hour"),
        "storage": dyn("GB-month", "storage_gb_month", "First 25 GB free (not applied)."),
        "pitr_storage": dyn("GB-month", "pitr_gb_month"),
        "backup_storage": dyn("GB-month", "backup_gb_month"),
        "restore": dyn("GB", "restore_gb"),
        "streams_read_requests": dyn("1M read request units", "streams_read_per_million"),
    }

    # CloudWatch -----------------------------------------------------------
    cw = a["cloudwatch"]
    cr = cw["region"]

    def cws(unit, value, desc=None):
        return table(unit, cw["source"], [], {cr: single(num(value))}, fallback=AWS_FALLBACK, description=desc)
    out["cloudwatch"] = {
        "custom_metrics": table("metric-month", cw["source"], [],
                                {cr: block(price=tiers(cw["custom_metric_month_tiers"], "from_metrics"))},
                                fallback=AWS_FALLBACK, tier_unit="metrics",
                                description="Marginal tiers over metrics per month. EC2 detailed "
                                            "monitoring = 7 metrics per instance."),
        "alarm_metric_month": table("alarm-metric-month", cw["source"], ["resolution"],
                                    {cr: block(prices={"standard": num(cw["standard_alarm_metric_month"]),
                                                       "high": num(cw["high_resolution_alarm_metric_month"])})},
                                    fallback=AWS_FALLBACK,
                                    description="Anomaly-detection alarms count 3 metrics each."),
        "dashboard_month": cws("dashboard-month", cw["dashboard_month"]),
        "logs_ingested": cws("GB", cw["logs_ingested_gb"]),
        "logs_stored": cws("GB-month", cw["logs_stored_gb_month"]),
        "logs_insights_scanned": cws("GB", cw["logs_insights_scanned_gb"]),
        "get_metric_data": cws("1K metrics", cw["get_metric_data_per_1000_metrics"]),
    }

    # KMS, Secrets Manager, Route 53 -------------------------------------------
    km = a["kms"]
    out["kms"] = {
        "key_month": table("key-month", km["source"], [], {ALL: single(num(km["customer_managed_key_month"]))},
                           description="Customer managed key."),
        "requests": table("10K requests", km["source"], ["request_type"],
                          {ALL: block(prices={
                              "symmetric": num(km["symmetric_requests_per_10k"]),
                              "asymmetric_rsa": num(km["asymmetric_rsa_requests_per_10k"]),
                              "generate_data_key_pair": num(km["generate_data_key_pair_requests_per_10k"])})}),
    }
    sm = a["secrets_manager"]
    out["secrets_manager"] = {
        "secret_month": table("secret-month", sm["source"], [], {ALL: single(num(sm["secret_month"]))}),
        "api_requests": table("10K requests", sm["source"], [], {ALL: single(num(sm["api_requests_per_10k"]))}),
    }
    r53 = a["route53"]
    out["route53"] = {
        "hosted_zone_month": table("zone-month", r53["source"], [],
                                   {ALL: block(price=[{"from": 0.0, "price": num(r53["hosted_zone_month_first_25"])},
                                                      {"from": 25.0, "price": num(r53["hosted_zone_month_after_25"])}])},
                                   tier_unit="hosted zones",
                                   description="Marginal tiers over hosted zones per account."),
        "queries": table("1M queries", r53["source"], ["routing"],
                         {ALL: block(prices={"standard": num(r53["standard_queries_per_million"]),
                                             "latency": num(r53["latency_queries_per_million"]),
                                             "geo": num(r53["geo_queries_per_million"])})}),
        "health_check_month": table("health-check-month", r53["source"], ["endpoint"],
                                    {ALL: block(prices={"aws": num(r53["health_check_aws_endpoint_month"]),
                                                        "non_aws": num(r53["health_check_non_aws_endpoint_month"])})}),
        "resolver_endpoint_eni_hour": table("hour", r53["source"], [],
                                            {ALL: single(num(r53["resolver_endpoint_eni_hour"]))}),
    }

    # Other us-east-1 services ---------------------------------------------------
    o = a["other"]
    orr = o["region"]

    def oth(unit, key_attrs, value, desc=None, aliases=None):
        b = block(prices=value) if key_attrs else single(num(value))
        return table(unit, o["source"], key_attrs, {orr: b}, fallback=AWS_FALLBACK, description=desc,
                     aliases=aliases)
    out["sqs"] = {"requests": oth("1M requests", ["queue_type"],
                                  {"standard": num(o["sqs_standard_requests_per_million"]),
                                   "fifo": num(o["sqs_fifo_requests_per_million"])})}
    out["sns"] = {"publishes": oth("1M requests", [], o["sns_publishes_per_million"])}
    out["api_gateway"] = {"requests": oth("1M requests", ["api_type"],
                                          {"rest": num(o["api_gateway_rest_requests_per_million_first_333m"]),
                                           "http": num(o["api_gateway_http_requests_per_million_first_300m"])},
                                          "First volume tier only (REST: first 333M, HTTP: first 300M per month).")}
    out["vpc_endpoint"] = {
        "interface_hour": oth("hour", [], o["vpc_interface_endpoint_hour_per_az"], "Per interface endpoint per AZ."),
        "data_processed": oth("GB", [], o["vpc_interface_endpoint_per_gb"]),
    }
    out["vpn"] = {"connection_hour": oth("hour", [], o["vpn_connection_hour"])}
    out["transit_gateway"] = {
        "attachment_hour": oth("hour", [], o["transit_gateway_attachment_hour"]),
        "data_processed": oth("GB", [], o["transit_gateway_per_gb"]),
    }
    out["ecr"] = {"storage": oth("GB-month", [], o["ecr_storage_gb_month"])}
    out["efs"] = {"storage": oth("GB-month", ["storage_class"], {"standard": num(o["efs_standard_gb_month"])},
                                 aliases={"storage_class": {"STANDARD": "standard"}})}

    # Data transfer --------------------------------------------------------------
    dt = a["data_transfer"]
    out["data_transfer"] = {
        "internet_egress": table("GB", dt["source"], [],
                                 {r: block(price=tiers(t, "from_gb", "per_gb"))
                                  for r, t in dt["internet_egress_tiers_per_gb"].items()},
                                 fallback=AWS_FALLBACK, tier_unit="GB",
                                 description="Marginal tiers over cumulative GB per month; the 100 GB free "
                                             "allowance is not applied."),
        "inter_region": table("GB", dt["source"], [],
                              {r: single(num(v)) for r, v in dt["inter_region_per_gb"].items()},
                              fallback=AWS_FALLBACK),
    }

    out["regions"] = list(regions)
    return out


# --------------------------------------------------------------------------- AWS, hand-entered

def build_aws_services(path):
    """aws.services.<table> from the hand-entered list prices of scripts/pricing/aws-manual.json
    (services ../shared/pricing has no table for). Returns (tables, source id, source)."""
    return build_services(path, AWS_FALLBACK)


def build_services(path, default_fallback):
    """<provider>.services.<table> from a hand-entered price file (aws-manual.json,
    gcp-manual.json). A table's own `fallback` region overrides `default_fallback`; a table
    priced for region `*` has none. Returns (tables, source id, source)."""
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    src = doc["source"]
    sid = src["id"]
    tables = {}
    for name, t in sorted(doc["tables"].items()):
        for field in ("unit", "key", "page", "valid", "confidence", "prices"):
            if field not in t:
                die("%s: table %s has no %s" % (path, name, field))
        if len(t["key"]) > 1:
            die("%s: table %s: at most one key attribute" % (path, name))
        regions = {}
        for r, v in t["prices"].items():
            if t["key"]:
                regions[r] = block(prices={k: num(x) for k, x in v.items()}, confidence=t["confidence"])
            else:
                regions[r] = block(price=num(v), confidence=t["confidence"])
        fallback = None if ALL in regions else t.get("fallback", default_fallback)
        if fallback is not None and fallback not in regions:
            die("%s: table %s: fallback region %s has no prices" % (path, name, fallback))
        tables[name] = table(t["unit"], sid, t["key"], regions, fallback=fallback,
                             description="%s; valid: %s" % (t["page"], t["valid"]))
    source = {k: src[k] for k in ("what", "path", "data_date") if k in src}
    source["licence"] = src["licence"]
    return tables, sid, source


# --------------------------------------------------------------------------- GCP

def build_gcp(g):
    src = g["source"]
    ci = g["compute_instance"]
    machines = {r: block(prices={t: num(p) for t, p in types.items() if p is not None and p > 0})
                for r, types in ci["prices"].items()}
    specs = {t: {"vcpus": num(s["cpu"]), "memory_gb": num(s["ram"])} for t, s in ci["specs"].items()}

    dk = g["disk"]
    disk_names = {"hdd": "pd-standard", "balanced": "pd-balanced", "ssd": "pd-ssd",
                  "extreme": "pd-extreme", "hyperdisk-extreme": "hyperdisk-extreme",
                  "snapshot": "snapshot", "local": "local-ssd"}
    disks = {}
    for t, per_region in dk["prices"].items():
        if t.endswith("-replicated"):
            name, repl = disk_names[t[: -len("-replicated")]], "regional"
        else:
            name, repl = disk_names[t], "zonal"
        for r, v in per_region.items():
            disks.setdefault(r, {})[key(name, repl)] = num(v)

    net = g["network"]
    ips = {}
    for status, field in (("in_use", "external_ip_in_use_hour"), ("unused", "external_ip_unused_hour")):
        for r, v in net[field].items():
            ips.setdefault(r, {})[status] = num(v)

    sb = g["storage_bucket"]
    class_names = {"standard": "STANDARD", "nearline": "NEARLINE", "coldline": "COLDLINE",
                   "archiv": "ARCHIVE", "dra": "DURABLE_REDUCED_AVAILABILITY"}
    multi = {"us-multi": "us", "europe-multi": "eu", "asia-multi": "asia"}
    buckets = {}
    for k, per_loc in sb["prices"].items():
        cls = class_names[k.split("-")[0]]
        for loc, v in per_loc.items():
            buckets.setdefault(multi.get(loc, loc), {})[cls] = num(v)

    return {
        "compute": {
            "machine_hour": table("hour", src, ["machine_type"],
                                  machines, fallback=GCP_FALLBACK,
                                  description="On-demand, no OS licence, no sustained-use discount."),
        },
        "machine_specs": specs,
        "disk": {
            "storage": table("GB-month", src, ["disk_type", "replication"],
                             {r: block(prices=p) for r, p in disks.items()}, fallback=GCP_FALLBACK,
                             description="replication is zonal or regional (regional persistent disks)."),
        },
        "network": {
            "external_ip_hour": table("hour", src, ["status"], {r: block(prices=p) for r, p in ips.items()},
                                      fallback=GCP_FALLBACK),
            "cloud_nat_gateway_hour": table("hour", src, [], {r: single(num(v)) for r, v in
                                                              net["cloud_nat_gateway_hour"].items()},
                                            fallback=GCP_FALLBACK),
            "cloud_nat_data_processed": table("GB", src, [], {r: single(num(v)) for r, v in
                                                              net["cloud_nat_data_per_gb"].items()},
                                              fallback=GCP_FALLBACK),
            "vpn_tunnel_hour": table("hour", src, [], {r: single(num(v)) for r, v in
                                                       net["vpn_tunnel_hour"].items()},
                                     fallback=GCP_FALLBACK),
        },
        "storage_bucket": {
            "storage": table("GB-month", src, ["storage_class"], {loc: block(prices=p) for loc, p in buckets.items()},
                             fallback=GCP_FALLBACK,
                             aliases={"storage_class": {"DRA": "DURABLE_REDUCED_AVAILABILITY",
                                                        "MULTI_REGIONAL": "STANDARD", "REGIONAL": "STANDARD"}},
                             description="Regions are bucket locations: a region, a dual-region (asia1, eur4, "
                                         "nam4) or a multi-region (us, eu, asia), lower case."),
        },
        "regions": list(g["regions"]),
    }


# --------------------------------------------------------------------------- Azure

def build_azure(z):
    """Azure sections of azure.json (Infracost golden-file unit prices, see its README). No
    fallback region: a region or SKU the data lacks stays unknown."""
    src_of = lambda sec: z[sec]["source"]

    def keyed(sec, field, split=None):
        """`prices[region][field]` = {key: price} -> one block per region; `split` turns an
        input key into catalog key parts."""
        out = {}
        for r, per in z[sec]["prices"].items():
            if field in per:
                out[r] = block(prices={key(*(split(k) if split else (k,))): num(v)
                                       for k, v in per[field].items()})
        return out

    def flat(sec, field):
        return {r: block(price=num(per[field])) for r, per in z[sec]["prices"].items() if field in per}

    vm = {}
    for r, per_os in z["virtual_machine"]["prices"].items():
        vm[r] = block(prices={key(os_, size): num(v) for os_, sizes in per_os.items() for size, v in sizes.items()})
    storage = {}
    for r, per in z["storage_account"]["prices"].items():
        storage[r] = block(prices={key(*k.split("|")): tiers(rows, "from_gb") for k, rows in per["capacity"].items()})
    return {
        "regions": list(z["regions"]),
        "virtual_machine": {"hour": table("hour", src_of("virtual_machine"), ["os", "size"], vm,
                                          description="os is linux or windows (licence included).")},
        "managed_disk": {"tier_month": table("disk-month", src_of("managed_disk"), ["tier", "redundancy"],
                                             keyed("managed_disk", "tier_month", lambda k: k.split("|")))},
        "storage_account": {"capacity": table("GB-month", src_of("storage_account"),
                                              ["kind", "tier", "replication", "access_tier"], storage,
                                              tier_unit="GB")},
        "public_ip": {"hour": table("hour", src_of("public_ip"), ["allocation", "tier"],
                                    keyed("public_ip", "hour", lambda k: k.split("|")))},
        "aks": {"uptime_sla_hour": table("hour", src_of("aks"), [], flat("aks", "uptime_sla_hour"))},
        "load_balancer": {"data_processed": table("GB", src_of("load_balancer"), [],
                                                  flat("load_balancer", "data_processed_gb"))},
        "nat_gateway": {"hour": table("hour", src_of("nat_gateway"), [], flat("nat_gateway", "hour")),
                        "data_processed": table("GB", src_of("nat_gateway"), [],
                                                flat("nat_gateway", "data_processed_gb"))},
        "postgresql_flexible": {
            "compute_hour": table("hour", src_of("postgresql_flexible_server"), ["sku_name"],
                                  keyed("postgresql_flexible_server", "compute_hour")),
            "storage": table("GB-month", src_of("postgresql_flexible_server"), [],
                             flat("postgresql_flexible_server", "storage_gb_month"))},
        "mysql_flexible": {
            "compute_hour": table("hour", src_of("mysql_flexible_server"), ["sku_name"],
                                  keyed("mysql_flexible_server", "compute_hour")),
            "storage": table("GB-month", src_of("mysql_flexible_server"), [],
                             flat("mysql_flexible_server", "storage_gb_month"))},
        "sql_database": {"compute_hour": table("hour", src_of("sql_database"), ["sku_name"],
                                               keyed("sql_database", "compute_hour"),
                                               description="DTU tiers include the licence; vCore compute "
                                                           "excludes it.")},
        "app_service_plan": {"instance_hour": table("hour", src_of("app_service_plan"), ["os", "sku_name"],
                                                    keyed("app_service_plan", "instance_hour",
                                                          lambda k: k.split("|")))},
        "redis_cache": {"node_hour": table("hour", src_of("redis_cache"), ["sku"],
                                           keyed("redis_cache", "node_hour"))},
        "application_gateway": {
            "gateway_hour": table("hour", src_of("application_gateway"), ["tier"],
                                  keyed("application_gateway", "gateway_hour")),
            "capacity_unit_hour": table("hour", src_of("application_gateway"), ["tier"],
                                        keyed("application_gateway", "capacity_unit_hour"))},
        "firewall": {"deployment_hour": table("hour", src_of("firewall"), ["sku"],
                                              keyed("firewall", "deployment_hour")),
                     "data_processed": table("GB", src_of("firewall"), [], flat("firewall", "data_processed_gb"))},
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", default=os.path.join(repo, "..", "shared", "pricing"),
                    help="directory with aws.json, gcp.json and azure.json (default: ../shared/pricing)")
    ap.add_argument("--output", default=os.path.join(repo, "crates", "cost", "catalog", "catalog.json"))
    args = ap.parse_args()

    with open(os.path.join(args.input, "aws.json"), encoding="utf-8") as fh:
        aws = json.load(fh)
    with open(os.path.join(args.input, "gcp.json"), encoding="utf-8") as fh:
        gcp = json.load(fh)
    with open(os.path.join(args.input, "azure.json"), encoding="utf-8") as fh:
        azure = json.load(fh)
    for name, doc in (("aws.json", aws), ("gcp.json", gcp), ("azure.json", azure)):
        if doc.get("schema_version") != 1 or doc.get("currency") != "USD" or doc.get("hours_per_month") != 730:
            die("%s: unexpected schema_version/currency/hours_per_month" % name)

    sources = {}
    for doc in (aws, gcp, azure):
        for sid, s in doc["sources"].items():
            sources[sid] = copy_source(s)

    services, services_id, services_source = build_aws_services(
        os.path.join(here, "pricing", "aws-manual.json"))
    sources[services_id] = services_source
    gcp_services, gcp_services_id, gcp_services_source = build_services(
        os.path.join(here, "pricing", "gcp-manual.json"), GCP_FALLBACK)
    sources[gcp_services_id] = gcp_services_source

    catalog = {
        "schema_version": SCHEMA_VERSION,
        "currency": "USD",
        "catalog_date": max(aws["catalog_date"], gcp["catalog_date"], azure["catalog_date"]),
        "hours_per_month": 730,
        "sources": sources,
        "aws": dict(build_aws(aws), services=services),
        "gcp": dict(build_gcp(gcp), services=gcp_services),
        "azure": build_azure(azure),
    }
    text = json.dumps(catalog, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, args.output)
    print("wrote %s (%d bytes)" % (args.output, len(text.encode("utf-8"))))


if __name__ == "__main__":
    main()
