#!/usr/bin/env python3
"""Converts a Rust rule written the old way (`rust_rule! { ... pub struct X; }`, then an
`impl X { fn new() ... Head { ... } }`, `impl Default`, and `impl Rule for X` with `meta`,
`reads_before`, `attributes` and `check`) to the declarative `rust_rule!` and moves it to
`crates/rules/src/builtin/<provider>/<service>/<rule>.rs`, adding the `mod` lines.

    scripts/convert-rust-rule.py OLD.rs PROVIDER/SERVICE/RULE [OLD.rs PROVIDER/SERVICE/RULE ...]
    scripts/convert-rust-rule.py crates/rules/src/builtin/s3_foo.rs aws/s3/foo

The check becomes the module's `fn check(cx, out)` (a `self.` helper call must become a free
function by hand: the compiler points at it). Standard library only.
"""

import os
import re
import subprocess
import sys

def block_end(s, i):
    """index just past the brace block starting at the first '{' at/after i"""
    j = s.index('{', i)
    depth = 0
    k = j
    instr = False
    while True:
        c = s[k]
        if c == '"' and s[k-1] != '\\':
            instr = not instr
        elif not instr:
            if c == '{': depth += 1
            elif c == '}':
                depth -= 1
                if depth == 0:
                    return k + 1
        k += 1

def field(head, name):
    m = re.search(r'\b' + name + r':\s*', head)
    if not m: return None
    i = m.end()
    # value until the comma at depth 0
    depth = 0; k = i; instr=False
    while True:
        c = head[k]
        if c == '"' and head[k-1] != '\\': instr = not instr
        elif not instr:
            if c in '[(': depth += 1
            elif c in '])': depth -= 1
            elif c == ',' and depth == 0: break
        k += 1
    return head[i:k].strip()


def convert(path, dest, builtin):
    s = open(path).read()
    ms = s.index('rust_rule! {')
    me = block_end(s, ms)
    macro = s[ms:me]
    m = re.search(r'pub struct (\w+);', macro)
    if not m:
        sys.exit(f'{path}: no `pub struct Name;` in rust_rule! (already converted?)')
    name = m.group(1)
    ni = s.index(f'impl {name} {{')
    ne = block_end(s, ni)
    newblock = s[ni:ne]
    hs = newblock.index('Head {')
    head = newblock[hs:block_end(newblock, hs)]
    di = s.index(f'impl Default for {name} {{')
    de = block_end(s, di)
    ri = s.index(f'impl Rule for {name} {{')
    re_ = block_end(s, ri)
    ruleblock = s[ri:re_]
    attrs = None
    if 'fn attributes(&self)' in ruleblock:
        ai = ruleblock.index('fn attributes(&self)')
        ae = block_end(ruleblock, ai)
        body = ruleblock[ruleblock.index('{', ai) + 1 : ae - 1].strip()
        m = re.fullmatch(r'super::attributes\((.*)\)', body, re.S)
        if m:
            attrs = m.group(1).strip()
        else:
            m = re.fullmatch(r'Some\(vec!\[(.*)\]\)', body, re.S)
            if m:
                attrs = '&[' + ', '.join(x.strip().removesuffix('.into()') for x in m.group(1).split(',') if x.strip()) + ']'
    if attrs is None:
        sys.exit(f'{path}: `attributes()` is missing or computed: declare them as a const slice first')
    if 'fn reads_before(&self) -> bool {\n        false\n    }' in ruleblock:
        reads_before = None
    elif 'fn reads_before' not in ruleblock:
        reads_before = 'true'
    else:
        sys.exit(f'{path}: unusual reads_before(); convert by hand')
    for other in ('fn related_types', 'fn related_attributes'):
        if other in ruleblock:
            sys.exit(f'{path}: {other} is not expressible with rust_rule!; keep a hand-written impl')
    sig = "fn check(&self, cx: &Context<'_>, out: &mut Vec<Hit>)"
    ci = ruleblock.index(sig)
    check = ruleblock[ci:block_end(ruleblock, ci)].replace(sig, "fn check(cx: &Context<'_>, out: &mut Vec<Hit>)")
    check = '\n'.join(l[4:] if l.startswith('    ') else l for l in check.split('\n'))
    f = {k: field(head, k) for k in ['id', 'title', 'severity', 'category', 'resource_types', 'actions', 'benchmarks', 'checkov', 'trivy', 'provider']}
    if f['provider'] != '"' + dest.split('/')[0] + '"':
        sys.exit(f'{path}: provider {f["provider"]} but destination {dest}')
    flat = lambda v: re.sub(r'\s+', ' ', v).replace('[ ', '[').replace(', ]', ']').replace(' ]', ']')
    lines = [f'id: {f["id"]},', f'title: {f["title"]},', f'severity: {f["severity"].split("::")[-1]},',
             f'category: {f["category"].split("::")[-1]},', f'resource_types: {flat(f["resource_types"])},']
    if f['actions'] and flat(f['actions']) != '&[ActionKind::Create, ActionKind::Update, ActionKind::Replace]':
        lines.append(f'actions: {flat(f["actions"])},')
    for k in ['benchmarks', 'checkov', 'trivy']:
        if f[k] and f[k] != '&[]':
            lines.append(f'{k}: {flat(f[k])},')
    lines.append(f'attributes: {flat(attrs)},')
    if reads_before:
        lines.append(f'reads_before: {reads_before},')
    newmacro = macro.replace(f'    pub struct {name};', f'    pub struct {name} {{\n' + '\n'.join('        ' + l for l in lines) + '\n    }')
    out = s[:ms] + newmacro + s[me:ni] + s[ne:di] + s[de:ri] + check + s[re_:]
    for h in helpers(builtin):
        out = re.sub(r'\bsuper::' + h + r'\b', 'crate::builtin::' + h, out)
    out = out.replace('use super::{rust_rule, Head};', 'use crate::builtin::rust_rule;')
    out = re.sub(r'^use super::\{', 'use crate::builtin::{', out, flags=re.M)
    out = re.sub(r'^(use crate::builtin::\{.*), Head\}', r'\1}', out, flags=re.M)
    out = out.replace('super::super::sections', 'crate::builtin::sections')
    out = re.sub(r'\n{3,}', '\n\n', out)
    target = os.path.join(builtin, dest + '.rs')
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if subprocess.run(['git', 'ls-files', '--error-unmatch', path], capture_output=True).returncode == 0:
        subprocess.run(['git', 'mv', path, target], check=True)
    else:
        os.rename(path, target)
    open(target, 'w').write(out)
    provider, service, rule = dest.split('/')
    add_mod(os.path.join(builtin, provider, service, 'mod.rs'), rule, f'//! {provider.upper()} {service.upper()} rules, one file per rule.\n')
    add_mod(os.path.join(builtin, provider, 'mod.rs'), service, f'//! {provider.upper()} rules, one directory per service.\n')
    add_mod(os.path.join(builtin, 'mod.rs'), provider, None)
    stem = os.path.splitext(os.path.basename(path))[0]
    print(f'{path} -> {target} ({name}); now remove `mod {stem};`, its `pub use` and its '
          f'`rust_rules()` entry from builtin/mod.rs, then `cargo fix -p planguard-rules --lib` '
          f'for the imports the macro made unused')


def helpers(builtin):
    return [os.path.splitext(n)[0] for n in os.listdir(builtin) if n.endswith('.rs') and n != 'mod.rs']


def add_mod(mod_rs, name, header):
    line = f'pub(crate) mod {name};'
    if not os.path.exists(mod_rs):
        open(mod_rs, 'w').write((header + '\n' if header else '') + line + '\n')
        return
    text = open(mod_rs).read()
    if line in text.split('\n'):
        return
    lines = text.rstrip('\n').split('\n')
    mods = [i for i, l in enumerate(lines) if l.startswith('pub(crate) mod ') and not l.startswith('pub(crate) mod tests')]
    if mods:
        # keep the block sorted
        block = sorted([lines[i] for i in mods] + [line])
        lines = lines[: mods[0]] + block + lines[mods[-1] + 1 :]
    else:
        lines.append(line)
    open(mod_rs, 'w').write('\n'.join(lines) + '\n')


def main():
    if len(sys.argv) < 3 or len(sys.argv) % 2 == 0:
        sys.exit(__doc__)
    builtin = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'crates/rules/src/builtin')
    for path, dest in zip(sys.argv[1::2], sys.argv[2::2]):
        if dest.count('/') != 2:
            sys.exit(f'{dest}: expected PROVIDER/SERVICE/RULE (aws/iam/wildcard_policy)')
        convert(path, dest, builtin)


if __name__ == '__main__':
    main()
