using GraphRouter.Core.Featurization;

namespace GraphRouter.Core.Tests.Featurization;

public sealed class RidgeRegressionTests
{
    [Theory]
    [InlineData(30, 12)] // more rows than inputs: the primal solve
    [InlineData(12, 30)] // fewer rows than inputs: the dual solve
    public void Weights_equal_the_normal_equations_at_the_chosen_penalty(int n, int p)
    {
        var random = new Random(n * 100 + p);
        var x = DenseMathTests.RandomMatrix(random, n, p);
        Center(x);
        var y = DenseMathTests.RandomMatrix(random, n, 2);
        var fold = Enumerable.Range(0, n).Select(i => i % 3).ToArray();

        var ridge = RidgeRegression.Fit(x, y, fold, 3, [0.7]);

        // (XᵀX + λI) w = Xᵀ (y - ȳ), solved naively.
        var gram = Enumerable.Range(0, p).Select(a => Enumerable.Range(0, p).Select(b => x.Sum(r => r[a] * r[b]) + (a == b ? 0.7 : 0)).ToArray()).ToArray();
        for (var c = 0; c < 2; c++)
        {
            var mean = y.Average(r => r[c]);
            var rhs = Enumerable.Range(0, p).Select(a => x.Select((r, i) => r[a] * (y[i][c] - mean)).Sum()).ToArray();
            var expected = DenseMathTests.Gauss(gram, rhs);
            Assert.Equal(mean, ridge.Intercept[c], 12);
            for (var a = 0; a < p; a++)
            {
                Assert.Equal(expected[a], ridge.Weights[a][c], 8);
            }
        }
    }

    [Fact]
    public void Cross_validation_keeps_a_small_penalty_for_a_linear_target_and_a_large_one_for_noise()
    {
        var random = new Random(11);
        var x = DenseMathTests.RandomMatrix(random, 200, 20);
        Center(x);
        var y = x.Select(r => new[] { 3 * r[0] - 2 * r[5] + 0.01 * (random.NextDouble() - 0.5), random.NextDouble() }).ToArray();
        var fold = Enumerable.Range(0, 200).Select(i => i % 4).ToArray();

        var ridge = RidgeRegression.Fit(x, y, fold, 4, [0.01, 1, 100, 10_000]);

        Assert.Equal(0.01, ridge.Lambdas[0]);
        Assert.True(ridge.Lambdas[1] >= 100, $"noise target kept penalty {ridge.Lambdas[1]}");
        Assert.True(ridge.OutOfFoldR2[0] > 0.99, $"linear target out-of-fold R² {ridge.OutOfFoldR2[0]}");
        Assert.True(ridge.OutOfFoldR2[1] < 0.05, $"noise target out-of-fold R² {ridge.OutOfFoldR2[1]}");
    }

    private static void Center(double[][] x)
    {
        for (var a = 0; a < x[0].Length; a++)
        {
            var mean = x.Average(r => r[a]);
            foreach (var r in x)
            {
                r[a] -= mean;
            }
        }
    }
}
