using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeacherTrainer.ApiService.Data.Migrations
{
    /// <inheritdoc />
    public partial class EducatorAudiencesAndAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "cohorts_only",
                table: "scenarios",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "judging_collection_id",
                table: "scenarios",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "judging_collection_id",
                table: "cohorts",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "scenario_audiences",
                columns: table => new
                {
                    scenario_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cohort_id = table.Column<Guid>(type: "uuid", nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    added_by_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scenario_audiences", x => new { x.scenario_id, x.cohort_id });
                    table.ForeignKey(
                        name: "fk_scenario_audiences_cohorts_cohort_id",
                        column: x => x.cohort_id,
                        principalTable: "cohorts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_scenario_audiences_scenarios_scenario_id",
                        column: x => x.scenario_id,
                        principalTable: "scenarios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_scenarios_judging_collection_id",
                table: "scenarios",
                column: "judging_collection_id");

            migrationBuilder.CreateIndex(
                name: "ix_cohorts_judging_collection_id",
                table: "cohorts",
                column: "judging_collection_id");

            migrationBuilder.CreateIndex(
                name: "ix_scenario_audiences_cohort_id",
                table: "scenario_audiences",
                column: "cohort_id");

            migrationBuilder.AddForeignKey(
                name: "fk_cohorts_collections_judging_collection_id",
                table: "cohorts",
                column: "judging_collection_id",
                principalTable: "collections",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_scenarios_collections_judging_collection_id",
                table: "scenarios",
                column: "judging_collection_id",
                principalTable: "collections",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_cohorts_collections_judging_collection_id",
                table: "cohorts");

            migrationBuilder.DropForeignKey(
                name: "fk_scenarios_collections_judging_collection_id",
                table: "scenarios");

            migrationBuilder.DropTable(
                name: "scenario_audiences");

            migrationBuilder.DropIndex(
                name: "ix_scenarios_judging_collection_id",
                table: "scenarios");

            migrationBuilder.DropIndex(
                name: "ix_cohorts_judging_collection_id",
                table: "cohorts");

            migrationBuilder.DropColumn(
                name: "cohorts_only",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "judging_collection_id",
                table: "scenarios");

            migrationBuilder.DropColumn(
                name: "judging_collection_id",
                table: "cohorts");
        }
    }
}
