# The selection gap: per cell of a validation-split run, Table 1's HR@10 / NDCG@10 (the epoch chosen on
# validation) against what choosing on the test split would have reported (the epoch with the best
# test HR@10, as the paper's protocol does), in the same training run.
import json, glob, sys, statistics as st
rows = {}
for p in glob.glob(sys.argv[1] + '/cells/**/result.json', recursive=True):
    r = json.load(open(p)); c = r['Cell']
    if 'data.validation_split=true' not in c['Profile'] or c['Method'] != 'original': continue
    ep = r['Epochs']; best = r['BestEpoch']
    chosen = next(e for e in ep if e['Epoch'] == best)
    test_best = max(ep, key=lambda e: e['Hr10'])   # first max, as the trainer's strict improvement
    rows.setdefault(c['Model'], []).append((c['Seed'], chosen, test_best))
t975 = {2: 12.706205, 3: 4.302653}
print("| model | seed | epoch chosen on validation | its test HR@10 | its test NDCG@10 | epoch chosen on test | its test HR@10 | its test NDCG@10 | flattery HR@10 | flattery NDCG@10 |")
print("|---|---|---|---|---|---|---|---|---|---|")
for model in sorted(rows):
    for seed, ch, tb in sorted(rows[model], key=lambda x: x[0]):
        print(f"| {model} | {seed} | {ch['Epoch']+1} | {ch['Hr10']:.4f} | {ch['Ndcg10']:.4f} | {tb['Epoch']+1} | {tb['Hr10']:.4f} | {tb['Ndcg10']:.4f} | {tb['Hr10']-ch['Hr10']:+.4f} | {tb['Ndcg10']-ch['Ndcg10']:+.4f} |")
print()
for model in sorted(rows):
    d = [tb['Hr10'] - ch['Hr10'] for _, ch, tb in rows[model]]
    dn = [tb['Ndcg10'] - ch['Ndcg10'] for _, ch, tb in rows[model]]
    n = len(d)
    def ci(x): return t975.get(n, 0) * st.stdev(x) / n ** 0.5 if n > 1 else float('nan')
    print(f"{model}: HR@10 flattery mean {st.mean(d):+.4f} ± {ci(d):.4f}, NDCG@10 {st.mean(dn):+.4f} ± {ci(dn):.4f} (n={n})")
