using GraphRouter.Core.Featurization;

namespace GraphRouter.Core.Tests.Featurization;

public sealed class DenseMathTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    public void Cholesky_solve_matches_gaussian_elimination(int n)
    {
        var random = new Random(n);
        var rows = RandomMatrix(random, n + 3, n);
        var gram = DenseMath.ColumnGram(rows, n);
        var b = RandomMatrix(random, n, 3);

        var x = b.Select(r => (double[])r.Clone()).ToArray();
        DenseMath.CholeskySolve(DenseMath.Cholesky(gram, 0.5), x);

        var a = gram.Select((r, i) => r.Select((v, j) => v + (i == j ? 0.5 : 0)).ToArray()).ToArray();
        for (var c = 0; c < 3; c++)
        {
            var expected = Gauss(a, b.Select(r => r[c]).ToArray());
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(expected[i], x[i][c], 9);
            }
        }
    }

    [Fact]
    public void Gram_matrices_match_their_definitions_and_dot_matches_a_loop()
    {
        var random = new Random(3);
        var rows = RandomMatrix(random, 9, 13);

        var byRow = DenseMath.RowGram(rows);
        var byColumn = DenseMath.ColumnGram(rows, 13);

        for (var i = 0; i < 9; i++)
        {
            for (var j = 0; j < 9; j++)
            {
                Assert.Equal(Enumerable.Range(0, 13).Sum(k => rows[i][k] * rows[j][k]), byRow[i][j], 12);
            }
        }
        for (var a = 0; a < 13; a++)
        {
            for (var c = 0; c < 13; c++)
            {
                Assert.Equal(rows.Sum(r => r[a] * r[c]), byColumn[a][c], 12);
            }
        }
    }

    [Fact]
    public void A_matrix_that_is_not_positive_definite_is_refused()
    {
        double[][] a = [[1, 2], [2, 1]];

        Assert.Throws<InvalidOperationException>(() => DenseMath.Cholesky(a, 0));
    }

    internal static double[][] RandomMatrix(Random random, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();

    /// <summary>Naive Gaussian elimination with partial pivoting: the reference solve.</summary>
    internal static double[] Gauss(double[][] matrix, double[] rhs)
    {
        var n = rhs.Length;
        var a = matrix.Select((r, i) => r.Append(rhs[i]).ToArray()).ToArray();
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(a[r][col]));
            (a[col], a[pivot]) = (a[pivot], a[col]);
            for (var r = 0; r < n; r++)
            {
                if (r != col)
                {
                    var f = a[r][col] / a[col][col];
                    for (var k = col; k <= n; k++)
                    {
                        a[r][k] -= f * a[col][k];
                    }
                }
            }
        }
        return Enumerable.Range(0, n).Select(i => a[i][n] / a[i][i]).ToArray();
    }
}
