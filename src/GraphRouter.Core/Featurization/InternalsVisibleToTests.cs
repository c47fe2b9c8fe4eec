using System.Runtime.CompilerServices;

// The featurization tests hold the fast linear algebra equal to naive reference solves.
[assembly: InternalsVisibleTo("GraphRouter.Core.Tests")]
