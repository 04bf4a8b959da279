using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeacherTrainer.ApiService.Data.Migrations
{
    /// <inheritdoc />
    public partial class ScenarioAndCollectionOwnership : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "archived_at",
                table: "scenarios",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "archived_by_id",
                table: "scenarios",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "owner_id",
                table: "scenarios",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "scenarios",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "collection_shares",
                columns: table => new
                {
                    collection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    shared_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    shared_by_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collection_shares", x => new { x.collection_id, x.cohort_id });
                    table.ForeignKey(
                        name: "fk_collection_shares_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_collection_shares_collections_collection_id",
                        column: x => x.collection_id,
                        principalTable: "collections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scenario_audit",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version_number = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scenario_audit", x => x.id);
                    table.ForeignKey(
                        name: "fk_scenario_audit_scenarios_scenario_id",
                        column: x => x.scenario_id,
                        principalTable: "scenarios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scenario_co_authors",
                columns: table => new
                {
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    added_by_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scenario_co_authors", x => new { x.scenario_id, x.normalized_email });
                    table.ForeignKey(
                        name: "fk_scenario_co_authors_scenarios_scenario_id",
                        column: x => x.scenario_id,
                        principalTable: "scenarios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_scenarios_owner_id",
                table: "scenarios",
                column: "owner_id");

            migrationBuilder.CreateIndex(
                name: "ix_collections_owner_id",
                table: "collections",
                column: "owner_id");

            migrationBuilder.CreateIndex(
                name: "ix_collection_shares_cohort_id",
                table: "collection_shares",
                column: "cohort_id");

            migrationBuilder.CreateIndex(
                name: "ix_scenario_audit_scenario_id_at",
                table: "scenario_audit",
                columns: new[] { "scenario_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_scenario_co_authors_normalized_email",
                table: "scenario_co_authors",
                column: "normalized_email");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "collection_shares");

            migrationBuilder.DropTable(
                name: "scenario_audit");

            migrationBuilder.DropTable(
                name: "scenario_co_authors");

            migrationBuilder.DropIndex(
                name: "ix_scenarios_owner_id",
                table: "scenarios");

            migrationBuilder.DropIndex(
                name: "ix_collections_owner_id",
                table: "collections");

            migrationBuilder.DropColumn(
                name: "archived_at",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "archived_by_id",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "owner_id",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "scenarios");
        }
    }
}
