using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeacherTrainer.ApiService.Data.Migrations
{
    /// <inheritdoc />
    public partial class PersonaGoalsAndMoodReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "goals_met",
                table: "session_turns",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<string>(
                name: "mood_reason",
                table: "session_turns",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "goals_met",
                table: "practice_sessions",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "goals_met",
                table: "session_turns");

            migrationBuilder.DropColumn(
                name: "mood_reason",
                table: "session_turns");

            migrationBuilder.DropColumn(
                name: "goals_met",
                table: "practice_sessions");
        }
    }
}
