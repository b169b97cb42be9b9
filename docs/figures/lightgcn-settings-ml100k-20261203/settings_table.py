# LightGCN Original on ML-100K under each training setting tried (issue 12, part 3): Table 1 and the
# attackers' AUC, mean over seeds ± the half-width of its 95 % confidence interval (Student's t), from
# the cells of the output folders named (argv[1:]); and, for settings with U2U-R / D2D-R cells, theirs.
import json, glob, sys, statistics as st
T975 = {2: 12.706205, 3: 4.302653}
PAPER = {'ndcg@5': 0.3013, 'hr@5': 0.4387, 'ndcg@10': 0.3590, 'hr@10': 0.6158}
METRICS = ['ndcg@5', 'hr@5', 'ndcg@10', 'hr@10']
runs = {}
for p in [f for d in sys.argv[1:] for f in glob.glob(d + '/cells/**/result.json', recursive=True)]:
    r = json.load(open(p)); c = r['Cell']
    if c['Dataset'] != 'ml-100k' or c['Model'] != 'lightgcn' or 'unlearning.' in c['Profile']: continue
    runs.setdefault((c['Profile'], c['Method']), []).append(r)

def mean(values):
    n = len(values)
    half = T975.get(n, 0) * st.stdev(values) / n ** 0.5 if n > 1 else float('nan')
    return st.mean(values), half

def settings(profile):
    return ' '.join(f'`{s}`' for s in profile.split(';')[1:]) or 'protocol (25 epochs, BCE with 4 negatives)'

print("| setting | seeds | NDCG@5 | HR@5 | NDCG@10 | HR@10 | HR@5 / HR@10 | within 0.03 of the paper | MLP AUC | Tree AUC |")
print("|---|---|---|---|---|---|---|---|---|---|")
print("| paper's published values | | 0.3013 | 0.4387 | 0.3590 | 0.6158 | 0.712 | | 0.6911 | 0.6645 |")
for (profile, method), rs in sorted(runs.items(), key=lambda x: (x[0][1] != 'original', len(x[0][0]), x[0][0])):
    if method != 'original': continue
    cells = []
    within = 0
    for m in METRICS:
        mu, h = mean([r['Recommendation'][m] for r in rs])
        within += abs(mu - PAPER[m]) <= 0.03
        cells.append(f"{mu:.4f} ± {h:.4f}")
    ratio = st.mean([r['Recommendation']['hr@5'] / r['Recommendation']['hr@10'] for r in rs])
    aucs = [mean([next(a for a in r['Attacks'] if a['Attacker'] == att)['Mean']['Auc'] for r in rs]) for att in ['MLP', 'Tree']]
    print(f"| {settings(profile)} | {len(rs)} | " + " | ".join(cells) + f" | {ratio:.3f} | {within} of 4 | " + " | ".join(f"{mu:.4f} ± {h:.4f}" for mu, h in aucs) + " |")
print()
# The paper's LightGCN / ML-100K rows of Tables 1 and 3 (../shared/paper): HR@10, NDCG@10, MLP AUC, tree AUC.
PUBLISHED = {'original': (0.6158, 0.3590, 0.6911, 0.6645), 'u2u': (0.5104, 0.3025, 0.5604, 0.9983),
             'd2d': (0.5870, 0.3438, 0.3888, 0.3792), 'retrain': (0.6216, 0.3607, 0.4143, 0.5190)}
print("Unlearning on top of each setting's originals (the paper's U2U-R / D2D-R settings), with the change of HR@10 from the setting's Original of the same seeds:")
print()
print("| setting | method | seeds | HR@10 | change from Original | NDCG@10 | MLP AUC | Tree AUC |")
print("|---|---|---|---|---|---|---|---|")
for method in ['u2u', 'd2d', 'retrain']:
    p = PUBLISHED[method]
    print(f"| paper's published values | {method} | | {p[0]:.4f} | {p[0] - PUBLISHED['original'][0]:+.4f} | {p[1]:.4f} | {p[2]:.4f} | {p[3]:.4f} |")
    for (profile, m), rs in sorted(runs.items()):
        if m != method: continue
        hr, hh = mean([r['Recommendation']['hr@10'] for r in rs]); nd, nh = mean([r['Recommendation']['ndcg@10'] for r in rs])
        seeds = {r['Cell']['Seed'] for r in rs}
        original = st.mean(r['Recommendation']['hr@10'] for r in runs.get((profile, 'original'), []) if r['Cell']['Seed'] in seeds)
        aucs = [mean([next(a for a in r['Attacks'] if a['Attacker'] == att)['Mean']['Auc'] for r in rs]) for att in ['MLP', 'Tree']]
        print(f"| {settings(profile)} | {method} | {len(rs)} | {hr:.4f} ± {hh:.4f} | {hr - original:+.4f} | {nd:.4f} ± {nh:.4f} | " + " | ".join(f"{mu:.4f} ± {h:.4f}" for mu, h in aucs) + " |")
