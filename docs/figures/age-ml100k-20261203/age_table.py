# The ML-100K age attack table: per model and method, the mean over seeds ± the half-width of its 95 %
# confidence interval (Student's t) of HR@10 and of each attacker's accuracy, macro AUC and leakage
# (the largest |AUC - 0.5| of a group), from the cells of an age run (argv[1]); with argv[2], the
# same cells of a gender run beside them (leakage there is |AUC - 0.5|). The MLP with alpha 1e-4 comes
# from the tables of mlp-alpha-1e-4/ (its run.sh), where present.
import json, glob, os, sys, statistics as st
T975 = {2: 12.706205, 3: 4.302653, 4: 3.182446, 5: 2.776445}
METHODS = ['original', 'retrain', 'adv', 'u2u', 'd2d']
NAMES = {'ncf': 'NMF', 'lightgcn': 'LightGCN', 'original': 'Original', 'u2u': 'U2U-R', 'd2d': 'D2D-R', 'retrain': 'Retrain', 'adv': 'Adv-InT'}

def cells(out, attribute):
    found = {}
    for p in glob.glob(out + '/cells/**/result.json', recursive=True):
        r = json.load(open(p)); c = r['Cell']
        if (f'data.attribute_column={attribute}' in c['Profile']) != (attribute != 'gender'): continue
        if attribute == 'gender' and c['Profile'] != 'paper': continue
        found.setdefault((c['Model'], c['Method']), []).append(r)
    return found

def mean(values):
    n = len(values)
    half = T975.get(n, 0) * st.stdev(values) / n ** 0.5 if n > 1 else float('nan')
    return f"{st.mean(values):.4f} ± {half:.4f}"

HERE = os.path.dirname(os.path.abspath(__file__))

def alpha_row(cell):
    """Accuracy, AUC and leakage (means over folds) of the MLP with alpha 1e-4 on a cell, or None."""
    path = os.path.join(HERE, 'mlp-alpha-1e-4', f"{cell['Model']}-{cell['Method']}-{cell['Seed']}.md")
    if not os.path.exists(path): return None
    line = next(l for l in open(path) if l.startswith('| attacked') and '| MLP |' in l)
    fields = [f.strip() for f in line.strip().strip('|').split('|')]
    acc, auc, leak = (float(fields[i].split(' ± ')[0]) for i in (3, 6, 7))
    return {'Accuracy': acc, 'Auc': auc, 'Leakage': leak}

def row(runs, attribute):
    out = [mean([r['Recommendation']['hr@10'] for r in runs])]
    for attacker in ['MLP', 'MLP alpha 1e-4', 'Tree']:
        if attacker == 'MLP alpha 1e-4':
            ms = [alpha_row(r['Cell']) if attribute == 'age' else None for r in runs]
            if None in ms:
                out += ['n/a'] * 3
                continue
        else:
            ms = [next(a for a in r['Attacks'] if a['Attacker'] == attacker)['Mean'] for r in runs]
        out += [mean([m['Accuracy'] for m in ms]), mean([m['Auc'] for m in ms]), mean([m['Leakage'] for m in ms])]
    return out

age = cells(sys.argv[1], 'age')
gender = cells(sys.argv[2], 'gender') if len(sys.argv) > 2 else {}
print("| model | method | attribute | seeds | HR@10 | MLP accuracy | MLP AUC | MLP leakage | MLP α 1e-4 accuracy | MLP α 1e-4 AUC | MLP α 1e-4 leakage | Tree accuracy | Tree AUC | Tree leakage |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for model in ['ncf', 'lightgcn']:
    for method in [m for m in METHODS if (model, m) in age]:
        for attribute, found in [('age', age), ('gender', gender)]:
            runs = found.get((model, method))
            if runs:
                print(f"| {NAMES[model]} | {NAMES[method]} | {attribute} | {len(runs)} | " + " | ".join(row(runs, attribute)) + " |")
print()
print("One-vs-rest AUC of each age group (mean over seeds), Original and D2D-R / U2U-R:")
print()
for model in ['ncf', 'lightgcn']:
    for method in ['original', 'u2u', 'd2d']:
        runs = age.get((model, method))
        if not runs: continue
        groups = list(runs[0]['DatasetSummary']['Groups'].keys())
        for attacker in ['MLP', 'Tree']:
            per_group = [st.mean(next(a for a in r['Attacks'] if a['Attacker'] == attacker)['Mean']['GroupAuc'][g] for r in runs) for g in range(len(groups))]
            print(f"- {NAMES[model]} {NAMES[method]} {attacker}: " + ", ".join(f"{v} {a:.3f}" for v, a in sorted(zip(groups, per_group), key=lambda x: int(x[0]))))
print()
sizes = next(iter(age.values()))[0]['DatasetSummary']['Groups'] if age else {}
print("Users per age group (ML-1M codes): " + ", ".join(f"{k} {v}" for k, v in sorted(sizes.items(), key=lambda x: int(x[0]))))
