using GraphRouter.Core.Domain;

namespace GraphRouter.Training.Training;

/// <summary>
/// "Infer the user from k, predict the rest": per step, a batch of training users, each with k visible
/// interactions drawn at random (k = the default, or uniform in 0..MaxFewShot, or a long history) and up
/// to TargetPairsPerUser pairs from the user's other interactions. Seeded; deterministic.
/// </summary>
public sealed class EpisodeSampler
{
    private readonly IReadOnlyList<Interaction>[] _users;
    private readonly TrainingConfig _config;
    private readonly Random _random;
    private readonly int[] _order;
    private int _next;

    public EpisodeSampler(IEnumerable<Interaction> training, TrainingConfig config, Random random)
    {
        _config = config;
        _random = random;
        _users = training
            .GroupBy(i => i.User, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<Interaction>)g.ToList())
            .Where(list => list.Count >= 2 && list.Any(i => i.Pairs().Any()))
            .ToArray();
        if (_users.Length == 0)
        {
            throw new ArgumentException("no training user has two interactions and a non-tied pair", nameof(training));
        }
        _order = Enumerable.Range(0, _users.Length).ToArray();
        _next = _order.Length;
    }

    public int UserCount => _users.Length;

    public Episode Next()
    {
        var histories = new List<IReadOnlyList<Interaction>>();
        var targets = new List<EpisodeTarget>();
        var batch = Math.Min(_config.UsersPerStep, _users.Length);
        while (histories.Count < batch)
        {
            var user = _users[NextUser()];
            var k = Math.Min(DrawK(user.Count), user.Count - 1);
            var indices = Enumerable.Range(0, user.Count).ToArray();
            _random.Shuffle(indices);
            var visible = indices.Take(k).Order().Select(i => user[i]).ToList();
            var pairs = indices.Skip(k).SelectMany(i => user[i].Pairs()).ToArray();
            if (pairs.Length == 0)
            {
                continue;
            }
            _random.Shuffle(pairs);
            foreach (var pair in pairs.Take(_config.TargetPairsPerUser))
            {
                targets.Add(new EpisodeTarget(histories.Count, pair));
            }
            histories.Add(visible.Count > _config.HistoryWindow ? visible.Skip(visible.Count - _config.HistoryWindow).ToList() : visible);
        }
        return new Episode(histories, targets);
    }

    private int DrawK(int count)
    {
        var u = _random.NextDouble();
        if (u < _config.DefaultKShare)
        {
            return _config.VisibleInteractions;
        }
        if (u < _config.DefaultKShare + _config.LongHistoryShare)
        {
            return _random.Next(0, count);
        }
        return _random.Next(0, _config.MaxFewShot + 1);
    }

    private int NextUser()
    {
        if (_next >= _order.Length)
        {
            _random.Shuffle(_order);
            _next = 0;
        }
        return _order[_next++];
    }
}
