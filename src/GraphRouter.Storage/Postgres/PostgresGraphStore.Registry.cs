using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Registry;
using Npgsql;

namespace GraphRouter.Storage.Postgres;

/// <summary>The model registry (the <c>llms</c> table) on the PostgreSQL store.</summary>
public sealed partial class PostgresGraphStore
{
    private const string ModelColumns = "name, vendor, description, input_price_per_million, output_price_per_million, available";

    public async Task<IReadOnlyList<RegisteredModel>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        // Ordinal order, as SQLite's BINARY collation gives, whatever the database's collation.
        await using var command = _dataSource.CreateCommand($"SELECT {ModelColumns} FROM llms ORDER BY name COLLATE \"C\"");
        return await ReadModelsAsync(command, cancellationToken);
    }

    public async Task<RegisteredModel> RegisterModelAsync(ModelRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        registration.Validate();
        // One upsert and its change, in one transaction: a new name is inserted available; a registered one keeps what the registration leaves null.
        return await WithChangeAsync(StoreChangeKind.Model, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"""
                INSERT INTO llms AS l (name, vendor, description, input_price_per_million, output_price_per_million, available)
                VALUES ($1, COALESCE($2, ''), COALESCE($3, ''), $4, $5, true)
                ON CONFLICT (name) DO UPDATE SET
                    vendor = COALESCE($2, l.vendor),
                    description = COALESCE($3, l.description),
                    input_price_per_million = COALESCE($4, l.input_price_per_million),
                    output_price_per_million = COALESCE($5, l.output_price_per_million)
                RETURNING {ModelColumns}
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = registration.Name });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = registration.Vendor, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = registration.Description, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<double?> { TypedValue = registration.InputPricePerMillion, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
            command.Parameters.Add(new NpgsqlParameter<double?> { TypedValue = registration.OutputPricePerMillion, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
            var model = (await ReadModelsAsync(command, cancellationToken)).Single();
            return (model, model.Name);
        }, cancellationToken);
    }

    public async Task<RegisteredModel?> SetModelAvailabilityAsync(string name, bool available, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await WithChangeAsync(StoreChangeKind.Model, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand($"UPDATE llms SET available = $1 WHERE name = $2 RETURNING {ModelColumns}", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = available });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            var model = (await ReadModelsAsync(command, cancellationToken)).SingleOrDefault();
            return (model, model?.Name);
        }, cancellationToken);
    }

    private static async Task<List<RegisteredModel>> ReadModelsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var models = new List<RegisteredModel>();
        while (await reader.ReadAsync(cancellationToken))
        {
            models.Add(new RegisteredModel
            {
                Name = reader.GetString(0),
                Vendor = reader.GetString(1),
                Description = reader.GetString(2),
                InputPricePerMillion = reader.IsDBNull(3) ? null : reader.GetDouble(3),
                OutputPricePerMillion = reader.IsDBNull(4) ? null : reader.GetDouble(4),
                Available = reader.GetBoolean(5),
            });
        }
        return models;
    }
}
