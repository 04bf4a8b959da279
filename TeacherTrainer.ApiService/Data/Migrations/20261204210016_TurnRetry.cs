using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TeacherTrainer.ApiService.Data.Migrations
{
    /// <inheritdoc />
    public partial class TurnRetry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_session_turns_session_id_index",
                table: "session_turns");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retried_at",
                table: "session_turns",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_session_turns_session_id_index",
                table: "session_turns",
                columns: new[] { "session_id", "index" },
                unique: true,
                filter: "retried_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_session_turns_session_id_index",
                table: "session_turns");

            migrationBuilder.DropColumn(
                name: "retried_at",
                table: "session_turns");

            migrationBuilder.CreateIndex(
                name: "ix_session_turns_session_id_index",
                table: "session_turns",
                columns: new[] { "session_id", "index" },
                unique: true);
        }
    }
}
